package deploy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stub stands in for the stretchsim binary: it writes its arguments, one a line, to $STUB_OUT,
// and creates the directory given to --out, as sweep does.
const stub = `#!/bin/sh
: > "$STUB_OUT"
prev=
for a; do
	printf '%s\n' "$a" >> "$STUB_OUT"
	if [ "$prev" = --out ]; then mkdir -p "$a"; fi
	prev=$a
done
`

// sbatchOption returns the value of a #SBATCH option of a script (--name=V, --name V or -s V).
func sbatchOption(script, long, short string) (string, bool) {
	re := regexp.MustCompile(`(?m)^#SBATCH\s+(?:--` + long + `[=\s]|-` + short + `\s+)\s*(\S+)`)
	m := re.FindStringSubmatch(script)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// slurmRun is what the array's tasks and the merge job ran, with the stub for stretchsim.
type slurmRun struct {
	shards []shard
	outs   []string
	merge  []string // merge's arguments
}

// runSlurm runs the array script once per task of its --array range, as SLURM would, then the
// merge script, in dir, and checks what they ran.
func runSlurm(t *testing.T, dir, arrayScript, mergeScript string) (slurmRun, problems) {
	var run slurmRun
	var p problems
	spec, _ := sbatchOption(arrayScript, "array", "a")
	m := regexp.MustCompile(`^(\d+)-(\d+)(%\d+)?$`).FindStringSubmatch(spec)
	if m == nil {
		p.addf("#SBATCH --array=%q is not a range LO-HI", spec)
		return run, p
	}
	lo, _ := strconv.Atoi(m[1])
	hi, _ := strconv.Atoi(m[2])
	if lo != 0 {
		p.addf("#SBATCH --array=%s does not start at 0: task ids are the shard indexes", spec)
	}
	cpus, ok := sbatchOption(arrayScript, "cpus-per-task", "c")
	if !ok {
		p.addf("no #SBATCH --cpus-per-task")
	}
	bin := filepath.Join(dir, "stretchsim-stub")
	require.NoError(t, os.WriteFile(bin, []byte(stub), 0o755))
	array, merge := filepath.Join(dir, "array.sh"), filepath.Join(dir, "merge.sh")
	require.NoError(t, os.WriteFile(array, []byte(arrayScript), 0o755))
	require.NoError(t, os.WriteFile(merge, []byte(mergeScript), 0o755))

	for id := lo; id <= hi; id++ {
		args, err := runScript(dir, bin, array, []string{"sweeps/rtt.yaml", "results"},
			"SLURM_ARRAY_JOB_ID=4242", "SLURM_ARRAY_TASK_ID="+strconv.Itoa(id),
			"SLURM_ARRAY_TASK_COUNT="+strconv.Itoa(hi-lo+1),
			"SLURM_ARRAY_TASK_MIN="+strconv.Itoa(lo), "SLURM_ARRAY_TASK_MAX="+strconv.Itoa(hi),
			"SLURM_CPUS_PER_TASK="+cpus)
		if err != nil {
			p.addf("task %d: %v", id, err)
			continue
		}
		checkSlurmTask(args, id, cpus, &run, &p)
	}
	args, err := runScript(dir, bin, merge, []string{"results"})
	if err != nil {
		p.addf("merge: %v", err)
	} else if inv, err := parseInvocation(args); err != nil || inv.command != "merge" {
		p.addf("the merge job runs %q, not stretchsim merge", args)
	} else {
		run.merge = inv.args
		if out, err := inv.flag("--out"); err != nil || slices.Contains(run.outs, out) {
			p.addf("merge --out %q: missing, or one of the shard directories (%v)", out, err)
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(run.outs)), slices.Sorted(slices.Values(run.merge))) {
		p.addf("merge reads %v, the tasks wrote %v", run.merge, run.outs)
	}
	if err := coverageUpTo(run.shards); err != nil {
		p.addf("the tasks' shards: %v", err)
	}
	return run, p
}

// checkSlurmTask checks the command line array task id ran.
func checkSlurmTask(args []string, id int, cpus string, run *slurmRun, p *problems) {
	inv, err := parseInvocation(args)
	if err != nil || inv.command != "sweep" || len(inv.args) != 1 {
		p.addf("task %d runs %q, not stretchsim sweep FILE ...", id, args)
		return
	}
	out, err := inv.flag("--out")
	if err != nil || slices.Contains(run.outs, out) {
		p.addf("task %d: --out %q: missing, or the same as another task's (%v)", id, out, err)
	}
	run.outs = append(run.outs, out)
	if s, err := parseShard(inv); err != nil {
		p.addf("task %d: %v", id, err)
	} else {
		run.shards = append(run.shards, s)
	}
	if par, err := inv.flag("--parallel"); err != nil || par != cpus {
		p.addf("task %d: --parallel %q, not --cpus-per-task (%s)", id, par, cpus)
	}
}

// runScript runs a batch script with bash in dir, with stretchsim replaced by the stub, and
// returns the arguments the stub got.
func runScript(dir, bin, script string, args []string, env ...string) ([]string, error) {
	log := filepath.Join(dir, "stub.log")
	_ = os.Remove(log)
	cmd := exec.Command("bash", append([]string{script}, args...)...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "STRETCHSIM=" + bin, "STUB_OUT=" + log}, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out)))
	}
	data, err := os.ReadFile(log)
	if err != nil {
		return nil, fmt.Errorf("stretchsim was not run: %w", err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"), nil
}

func readSlurmScripts(t *testing.T) (array, merge string) {
	a, err := os.ReadFile(filepath.Join("slurm", "sweep-array.sh"))
	require.NoError(t, err)
	m, err := os.ReadFile(filepath.Join("slurm", "sweep-merge.sh"))
	require.NoError(t, err)
	return string(a), string(m)
}

func needBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash to run the SLURM scripts with")
	}
}

// The SLURM scripts, run as SLURM would run each task of the array and then the merge job: the
// array's range is 0 … N-1, each task runs its own shard of N into its own directory, the shards
// run every run of a sweep of up to 1,000 runs exactly once, and the merge reads every directory.
func TestSlurmScripts(t *testing.T) {
	needBash(t)
	array, merge := readSlurmScripts(t)
	run, p := runSlurm(t, t.TempDir(), array, merge)
	assert.Empty(t, p)
	require.NotEmpty(t, run.shards)
	t.Logf("%d tasks: %v", len(run.shards), run.shards)
}

// A task of an array whose ids are not 0 … N-1 (sbatch --array=1-8, or 0-14:2) refuses to run,
// and so does the merge when a shard directory is missing.
func TestSlurmScriptsRefuse(t *testing.T) {
	needBash(t)
	array, merge := readSlurmScripts(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "stretchsim-stub")
	require.NoError(t, os.WriteFile(bin, []byte(stub), 0o755))
	script, err := filepath.Abs(filepath.Join("slurm", "sweep-array.sh"))
	require.NoError(t, err)
	for _, r := range [][3]int{{1, 8, 8}, {0, 14, 8}} {
		_, err := runScript(dir, bin, script, []string{"s.yaml", "r"},
			"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN="+strconv.Itoa(r[0]),
			"SLURM_ARRAY_TASK_MAX="+strconv.Itoa(r[1]), "SLURM_ARRAY_TASK_COUNT="+strconv.Itoa(r[2]))
		assert.ErrorContains(t, err, "without gaps", "%v", r)
	}
	_, p := runSlurm(t, dir, array, merge)
	require.Empty(t, p)
	require.NoError(t, os.Remove(filepath.Join(dir, "results", "shard-1")))
	_, err = runScript(dir, bin, filepath.Join(dir, "merge.sh"), []string{"results"})
	assert.ErrorContains(t, err, "without gaps")
}

// Each broken copy of the scripts fails the checks with the expected message, so that the
// tests above cannot pass by checking nothing.
func TestSlurmBrokenScripts(t *testing.T) {
	needBash(t)
	array, merge := readSlurmScripts(t)
	cases := []struct {
		name, file, old, new, want string
	}{
		{"array from 1", "array", `#SBATCH --array=0-`, `#SBATCH --array=1-`, "does not start at 0"},
		{"N written out, one short", "array", `--shard "$task/$shards"`, `--shard "$task/7"`, "the tasks' shards"},
		{"one directory for all", "array", `--out "$results/shard-$task"`, `--out "$results/shard"`, "the same as another task's"},
		{"one worker", "array", `--parallel "${SLURM_CPUS_PER_TASK:-1}"`, `--parallel 1`, "not --cpus-per-task"},
		{"merge of the first shard only", "merge", `"${shards[@]}"`, `"${shards[0]}"`, "merge reads"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, m := array, merge
			target := &a
			if tc.file == "merge" {
				target = &m
			}
			require.Contains(t, *target, tc.old, "the mutation's target is gone: update this test")
			*target = strings.Replace(*target, tc.old, tc.new, 1)
			_, p := runSlurm(t, t.TempDir(), a, m)
			assert.Contains(t, strings.Join(p, "\n"), tc.want)
		})
	}
}
