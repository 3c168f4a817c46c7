package deploy

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	sweepJob = "stretchsim-sweep"
	mergeJob = "stretchsim-merge"
)

// checkKubernetes runs every check on the manifests and returns the problems found, and the
// shards the sweep Job's pods would run.
func checkKubernetes(m *manifests) ([]shard, problems) {
	plan, p := checkSweepJob(m, sweepJob)
	p = append(p, checkMergeJob(m, mergeJob, sweepJob, plan)...)
	if err := coverageUpTo(plan.shards); err != nil {
		p.addf("the pods' shards: %v", err)
	}
	return plan.shards, p
}

// The shipped manifests parse, and their N shards, one per completion index, run every run of
// a sweep of up to 1,000 runs exactly once; the merge reads every shard directory.
func TestKubernetesManifests(t *testing.T) {
	m, err := loadManifests("kubernetes")
	require.NoError(t, err)
	shards, p := checkKubernetes(m)
	assert.Empty(t, p)
	require.NotEmpty(t, shards)
	t.Logf("%d shards: %v", len(shards), shards)
}

// Each broken copy of the manifests fails the checks with the expected message, so that the
// test above cannot pass by checking nothing.
func TestKubernetesBrokenManifests(t *testing.T) {
	sweepC := func(m *manifests) *container { return &m.jobs[sweepJob].Spec.Template.Spec.Containers[0] }
	mergeC := func(m *manifests) *container { return &m.jobs[mergeJob].Spec.Template.Spec.Containers[0] }
	setArg := func(c *container, old, new string) {
		i := slices.IndexFunc(c.Args, func(a string) bool { return strings.Contains(a, old) })
		if i < 0 {
			panic("no argument contains " + old)
		}
		c.Args[i] = strings.Replace(c.Args[i], old, new, 1)
	}
	cases := []struct {
		name   string
		break_ func(m *manifests)
		want   string
	}{
		{"one more completion than shards", func(m *manifests) { *m.jobs[sweepJob].Spec.Completions++ },
			"runs --shard"},
		{"one completion fewer", func(m *manifests) { *m.jobs[sweepJob].Spec.Completions-- },
			"runs --shard"},
		{"not indexed", func(m *manifests) { m.jobs[sweepJob].Spec.CompletionMode = "NonIndexed" },
			"not Indexed"},
		{"restarts in place", func(m *manifests) { m.jobs[sweepJob].Spec.Template.Spec.RestartPolicy = "OnFailure" },
			"not Never"},
		{"shell syntax, which Kubernetes does not expand", func(m *manifests) {
			setArg(sweepC(m), "$(JOB_COMPLETION_INDEX)/", "${JOB_COMPLETION_INDEX}/")
		}, "is not I/N"},
		{"a variable the container does not declare", func(m *manifests) {
			setArg(sweepC(m), "/results/shard-$(JOB_COMPLETION_INDEX)", "/results/shard-$(JOB_INDEX)")
		}, "keeps a $(...) reference"},
		{"JOB_COMPLETION_INDEX declared from another field", func(m *manifests) {
			c := sweepC(m)
			i := slices.IndexFunc(c.Env, func(e envVar) bool { return e.Name == "JOB_COMPLETION_INDEX" })
			c.Env[i].ValueFrom.FieldRef.FieldPath = "metadata.name"
		}, "keeps a $(...) reference"},
		{"one output directory for all", func(m *manifests) {
			setArg(sweepC(m), "/results/shard-$(JOB_COMPLETION_INDEX)", "/results/shard")
		}, "is another index's too"},
		{"results inside the container", func(m *manifests) {
			setArg(sweepC(m), "/results/", "/tmp/")
		}, "not on a volume claim"},
		{"more workers than the CPU request", func(m *manifests) { setArg(sweepC(m), "$(CPUS)", "8") },
			"not the CPU request"},
		{"no memory limit", func(m *manifests) { delete(sweepC(m).Resources.Limits, "memory") },
			"no memory request and limit"},
		{"volume only one node can mount", func(m *manifests) {
			m.claims["stretchsim-results"].Spec.AccessModes = []string{"ReadWriteOnce"}
		}, "lack ReadWriteMany"},
		{"merge misses a shard", func(m *manifests) {
			c := mergeC(m)
			c.Args = c.Args[:len(c.Args)-1]
		}, "merge reads"},
		{"merge into a shard directory", func(m *manifests) { setArg(mergeC(m), "/results/merged", "/results/shard-0") },
			"one of the shard directories"},
		{"merge with another build", func(m *manifests) { mergeC(m).Image += "-other" },
			"the shards another"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := loadManifests("kubernetes")
			require.NoError(t, err)
			tc.break_(m)
			_, p := checkKubernetes(m)
			assert.Contains(t, strings.Join(p, "\n"), tc.want)
		})
	}
}

// Kubernetes' $(NAME) expansion as the checks model it.
func TestExpand(t *testing.T) {
	env := map[string]string{"I": "3", "EMPTY": ""}
	for in, want := range map[string]string{
		"/r/shard-$(I)":  "/r/shard-3",
		"$(I)/4":         "3/4",
		"$(EMPTY)x":      "x",
		"$(J)/4":         "$(J)/4",
		"$$(I)":          "$(I)",
		"${I}":           "${I}",
		"$(I":            "$(I",
		"cost $":         "cost $",
		"$(I)$(I)$$$(I)": "33$3",
	} {
		assert.Equal(t, want, expand(in, env), in)
	}
}

// The Job controller gives each container of an Indexed Job JOB_COMPLETION_INDEX unless the
// container declares it, so the manifest's own declaration documents rather than enables; a
// Job without it still runs the right shards.
func TestKubernetesIndexWithoutDeclaration(t *testing.T) {
	m, err := loadManifests("kubernetes")
	require.NoError(t, err)
	c := &m.jobs[sweepJob].Spec.Template.Spec.Containers[0]
	n := len(c.Env)
	c.Env = slices.DeleteFunc(c.Env, func(e envVar) bool { return e.Name == "JOB_COMPLETION_INDEX" })
	require.Equal(t, n-1, len(c.Env), "the manifest declares JOB_COMPLETION_INDEX")
	_, p := checkKubernetes(m)
	assert.Empty(t, p)
}
