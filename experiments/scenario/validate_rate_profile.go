package scenario

import (
	"errors"
	"strconv"

	"github.com/stretchsim/stretchsim/workloads"
)

// rateProfile checks the rate of producer pr (at path p) when it changes over the run: the
// profile itself (workloads.Profile.Validate: phases in order, rates >= 0, a ramp after a phase
// and with an until, peak >= trough, a positive period, clock times within a day), an arrival
// process that can follow it, and against the run: something sent before the run ends, and
// a warning for a phase that ends after it.
func (v *validator) rateProfile(p string, pr Producer) {
	prof := pr.Profile.Workload()
	if prof.IsZero() {
		v.errorf(p+".rate", "no phases and no daily curve: give a rate (20MB/s), a list of phases or {daily: {...}}")
		return
	}
	if pr.Rate != (Rate{}) {
		v.errorf(p+".rate", "a single rate (%v) and a profile are both set, want one", pr.Rate)
	}
	err := prof.Validate(pr.RecordSize)
	for _, e := range unjoin(err) {
		var fe *workloads.FieldError
		if errors.As(e, &fe) {
			v.add(p+".rate"+fe.Field, fe.Err)
		} else {
			v.add(p+".rate", e)
		}
	}
	if pr.Arrival.Kind == ArrivalOnOff {
		v.errorf(p+".arrival", "onoff needs a single rate (its on and off windows are sized around it): "+
			"with rate phases or a daily curve use poisson or constant")
	}
	if err != nil || pr.RecordSize <= 0 || v.s.Duration <= 0 {
		return
	}
	if pr.Workload().Expected(0, v.s.Duration) <= 0 {
		v.errorf(p+".rate", "the rate is 0 throughout the run (duration %v): the producer would send nothing", v.s.Duration)
	}
	for i, ph := range pr.Profile.Phases {
		if ph.Until > v.s.Duration {
			v.warnf(indexPath(p+".rate", i)+".until", "%v is after the end of the run (duration %v): the run stops during this phase%s",
				ph.Until, v.s.Duration, laterPhases(len(pr.Profile.Phases)-1-i))
			break
		}
	}
}

// laterPhases says that n phases never run.
func laterPhases(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", and the phase after it never runs"
	}
	return ", and the " + strconv.Itoa(n) + " phases after it never run"
}

// unjoin returns the parts of a joined error, err alone, or none for nil.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
