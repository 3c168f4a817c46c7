package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/stretchsim/stretchsim/experiments"
)

// sweepBar draws a sweep's progress on a terminal: runs done of the total, failures, and the
// wall time left, estimated from the runs this invocation has finished.
type sweepBar struct {
	bar   *progressbar.ProgressBar
	start time.Time
	first int // runs done when the sweep started (reused or invalid)
	now   func() time.Time
}

func newSweepBar(w io.Writer) *sweepBar {
	bar := progressbar.NewOptions(1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)
	return &sweepBar{bar: bar, start: time.Now(), first: -1, now: time.Now}
}

// update is the sweep's progress hook.
func (b *sweepBar) update(p experiments.SweepProgress) {
	if b.first < 0 {
		b.first = p.Done
		b.bar.ChangeMax(max(p.Total, 1))
	}
	b.bar.Describe(sweepProgressText(p, b.first, b.now().Sub(b.start)))
	_ = b.bar.Set(p.Done)
}

// finish clears the bar, so that only the results remain.
func (b *sweepBar) finish() { _ = b.bar.Clear() }

// sweepProgressText is the bar's description: "12/60 runs, 1 failed, 3 invalid, ETA 1m20s".
// The ETA assumes the runs left take as long as those run so far.
func sweepProgressText(p experiments.SweepProgress, first int, wall time.Duration) string {
	s := fmt.Sprintf("%d/%d runs", p.Done, p.Total)
	if p.Reused > 0 {
		s += fmt.Sprintf(" (%d kept from before)", p.Reused)
	}
	s += fmt.Sprintf(", %d failed", p.Failed)
	if p.Invalid > 0 {
		s += fmt.Sprintf(", %d invalid", p.Invalid)
	}
	eta := "-"
	if ran := p.Done - first; ran > 0 {
		eta = (wall / time.Duration(ran) * time.Duration(p.Total-p.Done)).Round(time.Second).String()
	}
	return s + ", ETA " + eta
}
