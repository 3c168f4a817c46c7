package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var updateDocs = flag.Bool("update-docs", false, "regenerate the chart images of the README in docs/")

// The README's two chart images, made the way a user makes them:
//
//	go test ./cmd/stretchsim -run TestDocsCharts -update-docs
func TestDocsCharts(t *testing.T) {
	if !*updateDocs {
		t.Skip("regenerates docs/*.png only with -update-docs")
	}
	docs := filepath.Join("..", "..", "docs")
	require.NoError(t, os.MkdirAll(docs, 0o755))

	runDir := filepath.Join(t.TempDir(), "run")
	code, _, errOut := runCLI(t, "run", "failures-three-site", "--out", runDir)
	require.Equal(t, exitOK, code, errOut)
	copyChart(t, filepath.Join(runDir, "charts", "timeline.png"), filepath.Join(docs, "run-timeline.png"))

	sweepDir := filepath.Join(t.TempDir(), "sweep")
	code, _, errOut = runCLI(t, "sweep", filepath.Join("..", "..", "sweeps", "rtt-acks.yaml"), "--set", "duration=10s",
		"--replications", "2", "--out", sweepDir)
	require.Equal(t, exitOK, code, errOut)
	copyChart(t, filepath.Join(sweepDir, "charts", "produce-p99-latency-vs-inter-site-rtt.png"), filepath.Join(docs, "sweep-p99-latency.png"))
}

func copyChart(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, data, 0o644))
}
