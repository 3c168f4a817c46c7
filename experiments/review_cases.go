package experiments

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
)

// reviewCase is one row of the failure matrix: one fault, run with every seed.
type reviewCase struct {
	Name string // "site-outage dc-a"
	// Fault is the fault as a scenario faults item, flow YAML.
	Fault string
	// Dark are the sites whose clients the fault takes down (a site outage's).
	Dark []string
	// Cut are the two sites a partition separates.
	Cut  []string
	Sums []*Summary
	Sers []*seriesData
	Row  FailureRow
}

// failureCases lists the failure matrix of sc: every site goes dark (a silent site outage), one
// broker per site crashes hard (the site's first), the active controller crashes, and each
// pair of sites is cut from each other (both ways). Each fault starts at at and lasts d.
func failureCases(sc *scenario.Scenario, at, d time.Duration) []*reviewCase {
	var out []*reviewCase
	fault := func(body string) string {
		return fmt.Sprintf("{at: %s, %s, duration: %s}", at, body, d)
	}
	for _, s := range sc.Sites {
		out = append(out, &reviewCase{Name: "site-outage " + s.Name, Dark: []string{s.Name},
			Fault: fault(fmt.Sprintf("type: site-outage, site: %s", s.Name))})
	}
	first := 1
	for _, s := range sc.Sites {
		if s.Brokers > 0 {
			out = append(out, &reviewCase{Name: fmt.Sprintf("broker-crash %d (%s)", first, s.Name),
				Fault: fault(fmt.Sprintf("type: broker-crash, broker: %d, mode: hard", first))})
		}
		first += s.Brokers
	}
	if slices.ContainsFunc(sc.Sites, func(s model.SiteSpec) bool { return s.Controllers > 0 }) {
		out = append(out, &reviewCase{Name: "controller-crash", Fault: fault("type: controller-crash")})
	}
	for i, a := range sc.Sites {
		for _, b := range sc.Sites[i+1:] {
			out = append(out, &reviewCase{Name: fmt.Sprintf("partition %s | %s", a.Name, b.Name), Cut: []string{a.Name, b.Name},
				Fault: fault(fmt.Sprintf("type: partition, groups: [[%s], [%s]], one_way: false", a.Name, b.Name))})
		}
	}
	return out
}

// faultWindow returns when the review's faults start and end, in virtual time.
func faultWindow(sc *scenario.Scenario, opts ReviewOptions) (start, end time.Duration) {
	start = sc.Warmup + opts.Lead
	return start, start + opts.FaultDuration
}

// runFailures runs the failure matrix, opts.Replications seeds per case, and judges each case.
func (r *DesignReview) runFailures(ctx context.Context, opts ReviewOptions) (bool, error) {
	start, end := faultWindow(r.sc, opts)
	cases := failureCases(r.sc, start, opts.FaultDuration)
	if len(cases) == 0 {
		return false, nil
	}
	axis := Axis{Path: "faults"}
	for _, c := range cases {
		axis.Values = append(axis.Values, "["+c.Fault+"]")
		axis.Labels = append(axis.Labels, c.Name)
	}
	sw := &Sweep{Name: "review-failures", Scenario: r.base.File, Replications: opts.Replications,
		Sets: []Setting{{Path: "duration", Value: (end + opts.Recovery).String()}},
		Dims: []Dim{{Axes: []Axis{axis}}}}
	sums, sers, _, interrupted, err := runReviewSweep(ctx, sw, r.base, filepath.Join(opts.Dir, "failures"), "failures", opts)
	if err != nil || interrupted {
		return interrupted, err
	}
	for i, c := range cases {
		k := i * opts.Replications
		c.Sums, c.Sers = sums[k:k+opts.Replications], sers[k:k+opts.Replications]
		c.Row = judgeCase(r, c, start, end)
		r.Failures = append(r.Failures, c.Row)
	}
	r.failures = cases
	return false, nil
}
