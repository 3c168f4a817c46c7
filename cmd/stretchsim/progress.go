package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/stretchsim/stretchsim/experiments"
)

// progressInterval is how often the bar is redrawn, in wall time.
const progressInterval = 200 * time.Millisecond

// isTerminal reports whether w is a terminal: progress is drawn only there (design §5), never
// into a file or a pipe that a script reads.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBar draws a run's progress on a terminal: simulated time against the scenario's
// duration, events per wall second, and the wall time left (the bar's ETA).
type progressBar struct {
	bar   *progressbar.ProgressBar
	start time.Time
	last  time.Time
	now   func() time.Time
}

// newProgressBar returns a bar on w for a run of the given virtual duration.
func newProgressBar(w io.Writer, duration time.Duration) *progressBar {
	bar := progressbar.NewOptions64(duration.Milliseconds(),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("simulating"),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)
	return &progressBar{bar: bar, start: time.Now(), now: time.Now}
}

// update is the run's progress hook. It redraws at most every progressInterval of wall time and
// clears the bar when the run is over, so that only the summary remains.
func (p *progressBar) update(pr experiments.Progress) {
	t := p.now()
	if pr.Done {
		_ = p.bar.Clear()
		return
	}
	if t.Sub(p.last) < progressInterval {
		return
	}
	p.last = t
	p.bar.Describe(progressText(pr, t.Sub(p.start)))
	_ = p.bar.Set64(pr.Now.Milliseconds())
}

// progressText is the bar's description: "12.3 / 60 s simulated, 1.4 M events/s".
func progressText(pr experiments.Progress, wall time.Duration) string {
	rate := "-"
	if s := wall.Seconds(); s > 0 {
		rate = siCount(float64(pr.Events) / s)
	}
	return fmt.Sprintf("%s / %s s simulated, %s events/s", strconv.FormatFloat(pr.Now.Seconds(), 'f', 1, 64),
		strconv.FormatFloat(pr.End.Seconds(), 'f', -1, 64), rate)
}

// siCount formats a count with an SI prefix: 950, 12.5 k, 1.4 M.
func siCount(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + " M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + " k"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}
