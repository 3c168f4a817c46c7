package experiments_test

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// TestReviewVerdicts reviews scenarios/review-verdicts.yaml, built so that its failure matrix
// shows every verdict, each next to cases built not to meet it. Heavy (10 runs of 50 s): it
// skips under -race.
func TestReviewVerdicts(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("10 simulation runs: skipped under -race and -short")
	}
	data, err := fs.ReadFile(scenarios.FS, "review-verdicts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base := experiments.Base{File: "review-verdicts.yaml", Data: data, Opts: scenario.Options{BaseDir: "."}}
	r, err := experiments.Review(context.Background(), base, experiments.ReviewOptions{Replications: 1,
		FaultDuration: 30 * time.Second, Recovery: 10 * time.Second, Dir: t.TempDir(), NoRecommend: true, PricePerGB: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"site-outage dc-a":      experiments.VerdictControlPlaneDown, // the voter majority
		"site-outage dc-b":      experiments.VerdictWritesStop,       // RF 4, min ISR 3, two replicas left
		"site-outage dc-c":      experiments.VerdictDataLoss,         // the acks=1 leader
		"broker-crash 1 (dc-a)": experiments.VerdictDegraded,         // fail-over within the session timeout
		"broker-crash 3 (dc-b)": experiments.VerdictDegraded,
		"broker-crash 5 (dc-c)": experiments.VerdictDataLoss,
		"controller-crash":      experiments.VerdictDegraded, // a KRaft election of a few seconds
		"partition dc-a | dc-b": experiments.VerdictWritesStop,
		"partition dc-a | dc-c": experiments.VerdictDataLoss, // broker 5 fenced, its follower elected
		"partition dc-b | dc-c": experiments.VerdictOK,       // no replica spans that pair
	}
	if len(r.Failures) != len(want) {
		t.Fatalf("%d failure cases, want %d: %+v", len(r.Failures), len(want), r.Failures)
	}
	for _, f := range r.Failures {
		if f.Verdict != want[f.Failure] {
			t.Errorf("%s: verdict %q (%s), want %q", f.Failure, f.Verdict, f.Why, want[f.Failure])
		}
	}
	if r.Saturation == nil || r.Saturation.Saturated {
		t.Errorf("baseline saturation %+v, want not saturated", r.Saturation)
	}
}
