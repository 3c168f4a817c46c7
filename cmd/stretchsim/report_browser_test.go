package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// screenshotDir, when set, also keeps the browser tests' full-page screenshots there (as does
// the environment variable STRETCHSIM_SCREENSHOTS): go test ./cmd/stretchsim -run Browser
// -screenshots /tmp/shots.
var screenshotDir = flag.String("screenshots", os.Getenv("STRETCHSIM_SCREENSHOTS"), "also write the browser tests' screenshots into `DIR`")

// chromium returns the Chromium or Chrome to test with: $CHROMIUM, else the first of the usual
// names on PATH; "" when there is none.
func chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless Chromium for the test, or skips it when the machine has none.
func browser(t *testing.T) context.Context {
	t.Helper()
	exe := chromium()
	if exe == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM to its path): the report is not tested in a browser")
	}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1280, 900))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	require.NoError(t, chromedp.Do(ctx), "starting %s", exe) // the browser lives as long as ctx
	return ctx
}

// pageProblems are what a page must not have: console errors, exceptions, failed requests,
// and requests for anything but the page itself and data: URLs in it.
type pageProblems struct {
	mu       sync.Mutex
	page     string
	problems []string
}

func (p *pageProblems) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value))
			}
			p.problems = append(p.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		p.problems = append(p.problems, fmt.Sprintf("exception: %s (line %d)", ev.ExceptionDetails.Text, ev.ExceptionDetails.LineNumber))
	case *network.EventLoadingFailed:
		p.problems = append(p.problems, fmt.Sprintf("request failed: %s %s", ev.Type, ev.ErrorText))
	case *network.EventRequestWillBeSent:
		// data: URLs (an image inside a chart) are part of the page.
		if ev.Request.URL != p.page && !strings.HasPrefix(ev.Request.URL, "data:") {
			p.problems = append(p.problems, "the page loads "+ev.Request.URL+": a report must be self-contained")
		}
	}
}

func (p *pageProblems) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.problems)
}

// checkReport opens dir/report.html from file:// in a new tab and checks it as a reader would
// meet it: no console error, exception or request; every chart drawn with a size; the table
// sortTable sorting by column sortCol when its header is clicked, and back. It writes a
// full-page screenshot and returns the number of charts.
func checkReport(t *testing.T, browserCtx context.Context, dir, sortTable string, sortCol int, shot string) int {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	probs := &pageProblems{page: "file://" + abs}
	tab, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(probs.listen))
	defer cancel()
	tab, cancelTimeout := context.WithTimeout(tab, 2*time.Minute)
	defer cancelTimeout()

	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(probs.page), chromedp.WaitReady(chromedp.CSS("body"))))
	type box struct{ W, H float64 }
	boxes, err := chromedp.Run(tab, chromedp.Evaluate[[]box](`Array.from(document.querySelectorAll("figure")).map(f => {
		const s = f.querySelector("svg"); if (!s) return {W: 0, H: 0};
		const r = s.getBoundingClientRect(); return {W: r.width, H: r.height}; })`))
	require.NoError(t, err)
	require.NotEmpty(t, boxes, "the report has charts")
	for i, b := range boxes {
		assert.True(t, b.W > 100 && b.H > 100, "chart %d is drawn with a size, got %.0f × %.0f px", i, b.W, b.H)
	}

	column := fmt.Sprintf(`Array.from(document.querySelectorAll("#table-%s tbody tr")).map(r => r.cells[%d].getAttribute("data-sort"))`, sortTable, sortCol)
	header := chromedp.CSS(fmt.Sprintf("#table-%s thead th:nth-child(%d)", sortTable, sortCol+1))
	require.NoError(t, chromedp.Do(tab, chromedp.Click(header)))
	up, err := chromedp.Run(tab, chromedp.Evaluate[[]string](column))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(tab, chromedp.Click(header)))
	down, err := chromedp.Run(tab, chromedp.Evaluate[[]string](column))
	require.NoError(t, err)
	assert.True(t, sortedNumbers(up, 1), "ascending after one click: %v", up)
	assert.True(t, sortedNumbers(down, -1), "descending after two: %v", down)
	assert.NotEqual(t, up, down, "the column has different values, so the two orders differ")

	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(t.TempDir(), shot), png, 0o644))
	if *screenshotDir != "" {
		require.NoError(t, os.MkdirAll(*screenshotDir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(*screenshotDir, shot), png, 0o644))
	}
	assert.Empty(t, probs.list(), "problems on the page")
	return len(boxes)
}

// sortedNumbers reports whether vs, numbers, are in order (dir 1 ascending, -1 descending).
func sortedNumbers(vs []string, dir float64) bool {
	for i := 1; i < len(vs); i++ {
		a, err1 := strconv.ParseFloat(vs[i-1], 64)
		b, err2 := strconv.ParseFloat(vs[i], 64)
		if err1 != nil || err2 != nil || (b-a)*dir < 0 {
			return false
		}
	}
	return true
}

// The report of a run and the report of a sweep, in a real browser, from disk.
func TestReportsInBrowser(t *testing.T) {
	ctx := browser(t)
	base := filepath.Join("..", "..", "experiments", "testdata", "sweep")

	runDir := filepath.Join(t.TempDir(), "run")
	code, _, errOut := runCLI(t, "run", filepath.Join(base, "base.yaml"), "--out", runDir,
		"--set", "faults=[{at: 1s, type: broker-crash, broker: 2, mode: hard, duration: 500ms}]")
	require.Equal(t, exitOK, code, errOut)
	t.Run("run", func(t *testing.T) {
		n := checkReport(t, ctx, runDir, "brokers", 3, "run-report.png")
		assert.Equal(t, 1, n, "the run's timeline")
	})

	sweepDir := filepath.Join(t.TempDir(), "sweep")
	code, _, errOut = runCLI(t, "sweep", filepath.Join(base, "rtt.yaml"), "--out", sweepDir, "--parallel", "2")
	require.Equal(t, exitOK, code, errOut)
	t.Run("sweep", func(t *testing.T) {
		checkReport(t, ctx, sweepDir, "points", 0, "sweep-report.png")
	})
}
