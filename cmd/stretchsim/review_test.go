package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReviewFlagErrors: bad flags and files are errors naming the flag or the file, never a panic.
func TestReviewFlagErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nduration: 5s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"review"}, 2, "requires at least 1 arg"},
		{[]string{"review", "nosuch"}, 1, "nosuch"},
		{[]string{"review", "default", "--replications", "0"}, 2, "--replications"},
		{[]string{"review", "default", "--format", "xml"}, 2, "--format"},
		{[]string{"review", "default", "--price-per-gb", "-1"}, 2, "--price-per-gb"},
		{[]string{"review", "default", "--fault-duration", "0s"}, 2, "--fault-duration"},
		{[]string{"review", bad, "--out", t.TempDir()}, 1, "bad.yaml:1: sites"},
	} {
		code, _, stderr := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

// TestReviewJSON reviews the verdicts design briefly and checks the JSON keys and the report.
func TestReviewJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("11 short simulation runs")
	}
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "review", "review-verdicts", "--format", "json", "--replications", "1",
		"--fault-duration", "12s", "--recovery", "2s", "--no-recommend", "--out", dir)
	if code != 1 { // the design is built to fail
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	for _, k := range []string{"baseline", "limits", "failures", "recommendations", "path", "cost"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no key %q", k)
		}
	}
	var failures []map[string]any
	if err := json.Unmarshal(got["failures"], &failures); err != nil || len(failures) != 10 {
		t.Fatalf("failures: %v, %d rows", err, len(failures))
	}
	for _, k := range []string{"failure", "verdict", "acked_records_lost", "max_unavailable_seconds", "writable_fraction", "reads_available", "controller_unavailable_seconds"} {
		if _, ok := failures[0][k]; !ok {
			t.Errorf("failures[0] has no key %q", k)
		}
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil || !strings.Contains(string(html), "control plane down") {
		t.Errorf("report.html: %v, no verdict in words", err)
	}
	// The baseline's timeline, inline after the verdict table.
	verdicts, charts := strings.Index(string(html), "<h2>Verdicts</h2>"), strings.Index(string(html), "<h2>Baselines</h2>")
	if charts < verdicts || !strings.Contains(string(html)[charts:], "<svg") {
		t.Errorf("report.html: no baseline chart after the verdicts")
	}
}

// An invalid design among several is reported, naming file and line, before anything runs or is
// written.
func TestReviewInvalidDesignWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "review")
	code, _, stderr := runCLI(t, "review", "default", "../../experiments/scenario/testdata/bad/rtt-million-hours.yaml", "--out", out)
	if code != exitFailure || !strings.Contains(stderr, "rtt-million-hours.yaml:7: network.inter_site.rtt") {
		t.Fatalf("exit %d, stderr %q: want exit %d naming the file, line and field", code, stderr, exitFailure)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was created for an invalid design", out)
	}
}
