package experiments

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// classify returns the finding of a run's record, the most severe kind that applies, or nil
// when the design held: no panic, no hang, every invariant held, no acknowledged record lost,
// and every partition writable again within recovery of the last fault's end.
func classify(rec *RunRecord, recovery time.Duration) *Finding {
	switch {
	case strings.HasPrefix(rec.Message, "panic: "):
		return &Finding{Kind: FindingPanic, Detail: rec.Message}
	case strings.HasPrefix(rec.Message, "error: "+HangPrefix):
		return &Finding{Kind: FindingHang, Detail: strings.TrimPrefix(rec.Message, "error: ")}
	case strings.HasPrefix(rec.Message, "error: "):
		return &Finding{Kind: FindingError, Detail: rec.Message}
	}
	var s Summary
	if err := json.Unmarshal(rec.Summary, &s); err != nil {
		return &Finding{Kind: FindingError, Detail: "the run's summary does not decode: " + err.Error()}
	}
	f := classifySummary(&s, recovery)
	if f != nil {
		f.DrawnFaults = s.Faults
	}
	return f
}

// classifySummary is classify for a run that ended.
func classifySummary(s *Summary, recovery time.Duration) *Finding {
	if v := s.Invariants.Violations; len(v) > 0 {
		return &Finding{Kind: FindingInvariant, Rule: violationRule(v[0]), Detail: v[0]}
	}
	if n := s.Durability.AckedRecordsLost; n > 0 {
		detail := fmt.Sprintf("%d acknowledged %s lost", n, plural(n, "record", "records"))
		switch p := s.Durability.AckedRecordsLostPowerLoss; {
		case p == n:
			detail += ", all to power loss"
		case p > 0:
			detail += fmt.Sprintf(", %d to power loss", p)
		}
		return &Finding{Kind: FindingAckedLoss, Detail: detail}
	}
	a := s.Availability
	if a.Recovered != nil && !*a.Recovered && *a.RecoverySeconds >= recovery.Seconds() {
		return &Finding{Kind: FindingUnrecovered,
			Detail: fmt.Sprintf("a partition was still unwritable %.1f s after the last fault ended", *a.RecoverySeconds)}
	}
	return nil
}

// violationRule is the invariant's name in a violation's text, "seed S at T: RULE: DETAIL"
// (model.Violation.String).
func violationRule(v string) string {
	parts := strings.SplitN(v, ": ", 3)
	if len(parts) < 3 {
		return v
	}
	return parts[1]
}

// same reports whether g reproduces f: the same kind and, for an invariant, the same rule.
func (f *Finding) same(g *Finding) bool {
	return g != nil && g.Kind == f.Kind && g.Rule == f.Rule
}
