package deploy

import (
	"slices"
	"strconv"
	"strings"
)

// argv is what the stretchsim binary of a container receives: command then args, less the
// binary itself when the command names it (the image's entrypoint is the binary).
func argv(c *container) []string {
	all := slices.Concat(c.Command, c.Args)
	if len(c.Command) > 0 && strings.HasSuffix(c.Command[0], "stretchsim") {
		all = all[1:]
	}
	return all
}

// sweepPlan is what the pods of the sweep Job would run, one entry per completion index.
type sweepPlan struct {
	shards []shard
	outs   []string // --out of each index, after expansion
}

// checkSweepJob checks the Indexed Job that runs the shards and returns what its pods would run.
func checkSweepJob(m *manifests, name string) (sweepPlan, problems) {
	var plan sweepPlan
	var p problems
	j := m.jobs[name]
	if j == nil {
		p.addf("no Job %q", name)
		return plan, p
	}
	if j.APIVersion != "batch/v1" {
		p.addf("apiVersion %q, not batch/v1", j.APIVersion)
	}
	if j.Spec.CompletionMode != "Indexed" {
		p.addf("completionMode %q, not Indexed: the pods would have no completion index", j.Spec.CompletionMode)
	}
	if j.Spec.Completions == nil || *j.Spec.Completions < 1 {
		p.addf("completions must be the number of shards, N ≥ 1")
		return plan, p
	}
	n := *j.Spec.Completions
	if par := j.Spec.Parallelism; par != nil && (*par < 1 || *par > n) {
		p.addf("parallelism %d outside 1 … completions (%d)", *par, n)
	}
	if j.Spec.BackoffLimitPerIndex == nil && j.Spec.BackoffLimit == nil {
		p.addf("neither backoffLimitPerIndex nor backoffLimit: retries left to the default")
	}
	spec := &j.Spec.Template.Spec
	if spec.RestartPolicy != "Never" {
		p.addf("restartPolicy %q, not Never", spec.RestartPolicy)
	}
	if len(spec.Containers) != 1 {
		p.addf("%d containers, not 1", len(spec.Containers))
		return plan, p
	}
	c := &spec.Containers[0]
	checkResources(c, &p)
	for index := range n {
		s, out, ok := checkShardPod(j, c, index, n, &p)
		if ok {
			plan.shards = append(plan.shards, s)
		}
		plan.outs = append(plan.outs, out)
		if slices.Contains(plan.outs[:index], out) {
			p.addf("index %d: --out %s is another index's too", index, out)
		}
		if v := mountFor(spec, c, out); v == nil || v.PersistentVolumeClaim == nil {
			p.addf("index %d: --out %s is not on a volume claim: the results would die with the pod", index, out)
		} else {
			checkClaim(m, v.PersistentVolumeClaim.ClaimName, &p)
		}
	}
	return plan, p
}

// checkShardPod checks the command line of the pod with the given completion index, after
// Kubernetes' expansion of $(NAME) references, and returns its output directory and its shard,
// if --shard parses.
func checkShardPod(j *job, c *container, index, n int, p *problems) (shard, string, bool) {
	args := argv(c)
	for i, a := range args {
		args[i] = expand(a, env(j, c, index))
		if strings.Contains(args[i], "$(") {
			p.addf("index %d: %q keeps a $(...) reference: no such variable in the container's env", index, args[i])
		}
	}
	inv, err := parseInvocation(args)
	if err != nil || inv.command != "sweep" || len(inv.args) != 1 {
		p.addf("index %d: %q is not stretchsim sweep FILE ... (%v)", index, args, err)
		return shard{}, "", false
	}
	if v := mountFor(&j.Spec.Template.Spec, c, inv.args[0]); v == nil || v.ConfigMap == nil {
		p.addf("the sweep file %s is not on a ConfigMap volume", inv.args[0])
	}
	out, err := inv.flag("--out")
	if err != nil {
		p.addf("index %d: %v", index, err)
	}
	s, err := parseShard(inv)
	switch {
	case err != nil:
		p.addf("index %d: %v", index, err)
	case s.I != index || s.N != n:
		p.addf("index %d of completions %d runs --shard %v, not %d/%d", index, n, s, index, n)
	}
	checkParallel(inv, c, index, p)
	return s, out, err == nil
}

// checkParallel checks that --parallel is the container's CPU request (a run is
// single-threaded: one worker per CPU).
func checkParallel(inv invocation, c *container, index int, p *problems) {
	v, err := inv.flag("--parallel")
	if err != nil {
		p.addf("index %d: %v", index, err)
		return
	}
	want, ok := cpuField(c, "requests.cpu", "1")
	if got, err := strconv.Atoi(v); err != nil || !ok || v != want || got < 1 {
		p.addf("index %d: --parallel %q, not the CPU request rounded up (%q)", index, v, want)
	}
}

func checkResources(c *container, p *problems) {
	for _, r := range []string{"cpu", "memory"} {
		if c.Resources.Requests[r] == "" || c.Resources.Limits[r] == "" {
			p.addf("container %s: no %s request and limit", c.Name, r)
		}
	}
}

// checkClaim checks that the named claim is among the manifests and that pods on several nodes
// can mount it at once.
func checkClaim(m *manifests, name string, p *problems) {
	cl := m.claims[name]
	switch {
	case cl == nil:
		p.addf("no PersistentVolumeClaim %q among the manifests", name)
	case !slices.Contains(cl.Spec.AccessModes, "ReadWriteMany"):
		p.addf("PersistentVolumeClaim %s: access modes %v lack ReadWriteMany: shards on other nodes could not mount it", name, cl.Spec.AccessModes)
	}
}

// checkMergeJob checks the Job that merges the shard directories of plan.
func checkMergeJob(m *manifests, name, sweepName string, plan sweepPlan) problems {
	var p problems
	j, sweep := m.jobs[name], m.jobs[sweepName]
	if j == nil || sweep == nil {
		p.addf("no Job %q or %q", name, sweepName)
		return p
	}
	spec := &j.Spec.Template.Spec
	if j.APIVersion != "batch/v1" || spec.RestartPolicy != "Never" || len(spec.Containers) != 1 {
		p.addf("Job %s: want batch/v1, restartPolicy Never and one container", name)
		return p
	}
	c := &spec.Containers[0]
	checkResources(c, &p)
	if sc := sweep.Spec.Template.Spec.Containers; len(sc) != 1 || c.Image != sc[0].Image {
		p.addf("the merge runs image %q, the shards another: merge needs the binary that wrote them", c.Image)
	}
	inv, err := parseInvocation(argv(c))
	if err != nil || inv.command != "merge" {
		p.addf("%q is not stretchsim merge --out DIR SHARD_DIR... (%v)", argv(c), err)
		return p
	}
	if out, err := inv.flag("--out"); err != nil || slices.Contains(plan.outs, out) {
		p.addf("merge --out %q: missing, or one of the shard directories (%v)", out, err)
	}
	want, got := slices.Sorted(slices.Values(plan.outs)), slices.Sorted(slices.Values(inv.args))
	if !slices.Equal(want, got) {
		p.addf("merge reads %v, the shards write %v", inv.args, plan.outs)
	}
	sweepSpec := &sweep.Spec.Template.Spec
	for _, dir := range inv.args {
		v, w := mountFor(spec, c, dir), mountFor(sweepSpec, &sweepSpec.Containers[0], dir)
		if v == nil || w == nil || v.PersistentVolumeClaim == nil || w.PersistentVolumeClaim == nil ||
			v.PersistentVolumeClaim.ClaimName != w.PersistentVolumeClaim.ClaimName {
			p.addf("merge reads %s from another volume than the shard wrote it to", dir)
		}
	}
	return p
}
