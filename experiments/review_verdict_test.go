package experiments

import (
	"math"
	"testing"
	"time"
)

// TestJudgeRun checks each verdict rule (judgeRun) on a run built to meet it and on one built to
// miss it by a little.
func TestJudgeRun(t *testing.T) {
	healthy := windowStats{Samples: 10, WritableFraction: 1, ProduceBytesPerSec: 1e6}
	base := caseRun{MaxWaitSeconds: 0.01, Window: healthy, ExpectedProduceBytesSec: 1e6, FaultSeconds: 60}
	with := func(f func(*caseRun)) caseRun { c := base; f(&c); return c }
	tests := []struct {
		name string
		run  caseRun
		want string
	}{
		{"healthy", base, VerdictOK},
		{"one acked record lost", with(func(c *caseRun) { c.AckedRecordsLost = 1 }), VerdictDataLoss},
		{"loss outranks a lost quorum", with(func(c *caseRun) { c.AckedRecordsLost = 1; c.Window.ControllerDownThroughout = true }), VerdictDataLoss},
		{"no controller through the second half", with(func(c *caseRun) { c.Window.ControllerDownThroughout = true }), VerdictControlPlaneDown},
		{"a 3 s election is degraded", with(func(c *caseRun) { c.ControllerUnavailable = 3 }), VerdictDegraded},
		{"a 0.9 s election is ok", with(func(c *caseRun) { c.ControllerUnavailable = 0.9 }), VerdictOK},
		{"a partition unwritable through the second half", with(func(c *caseRun) {
			c.Window.UnwritableThroughout = true
			c.Window.WritableFraction = 0.6
		}), VerdictWritesStop},
		{"unwritable briefly", with(func(c *caseRun) { c.Window.WritableFraction = 0.98 }), VerdictDegraded},
		{"a producer waited the whole fault", with(func(c *caseRun) { c.MaxWaitSeconds = 55 }), VerdictWritesStop},
		{"a producer waited 53 s of 60", with(func(c *caseRun) { c.MaxWaitSeconds = 53 }), VerdictDegraded},
		{"the waiting producer's own site was dark", with(func(c *caseRun) { c.MaxWaitSeconds = 60; c.ProducersDark = true }), VerdictOK},
		{"a 1 s stall", with(func(c *caseRun) { c.MaxWaitSeconds = 1 }), VerdictDegraded},
		{"a 0.99 s stall", with(func(c *caseRun) { c.MaxWaitSeconds = 0.99 }), VerdictOK},
		{"records failed", with(func(c *caseRun) { c.FailedRecords = 3 }), VerdictDegraded},
		{"throughput at 89%", with(func(c *caseRun) { c.Window.ProduceBytesPerSec = 0.89e6 }), VerdictDegraded},
		{"throughput at 91%", with(func(c *caseRun) { c.Window.ProduceBytesPerSec = 0.91e6 }), VerdictOK},
	}
	for _, tt := range tests {
		if got, why := judgeRun(tt.run); got != tt.want {
			t.Errorf("%s: verdict %q (%s), want %q", tt.name, got, why, tt.want)
		}
	}
}

// TestWindowOf checks the fault window's figures against a series written by hand.
func TestWindowOf(t *testing.T) {
	ser := &seriesData{Columns: []string{"time_s", "UnderMinIsrPartitionCount", "OfflinePartitionsCount", "ActiveControllerCount", "produce_bytes_per_sec"}}
	// 10 partitions; the fault is [10 s, 20 s): samples 11..20 are in it, 16..20 its second half.
	for s := 1; s <= 30; s++ {
		under, off, ctl := 0.0, 0.0, 1.0
		if s > 10 && s <= 20 {
			under, ctl = 2, 0
			if s <= 15 {
				off = 5 // an offline partition is below min ISR as well: max, not sum
			}
		}
		ser.Rows = append(ser.Rows, []float64{float64(s), under, off, ctl, 100})
	}
	w, ok := windowOf(ser, 10*time.Second, 20*time.Second, 10)
	if !ok || w.Samples != 10 {
		t.Fatalf("windowOf: ok %v, %d samples, want 10", ok, w.Samples)
	}
	// 5 samples with 5 of 10 unwritable, 5 with 2: 1 - (5*0.5 + 5*0.2)/10 = 0.65.
	if math.Abs(w.WritableFraction-0.65) > 1e-9 || !w.UnwritableThroughout || !w.ControllerDownThroughout || w.OfflineAny || w.ProduceBytesPerSec != 100 {
		t.Errorf("windowOf = %+v", w)
	}
	ser.Rows[18][1] = 0 // t = 19 s: every partition writable once in the second half
	if w, _ := windowOf(ser, 10*time.Second, 20*time.Second, 10); w.UnwritableThroughout {
		t.Errorf("a writable sample in the second half: UnwritableThroughout still set")
	}
	if _, ok := windowOf(ser, 40*time.Second, 50*time.Second, 10); ok {
		t.Errorf("a window past the series: ok")
	}
}

// TestReplicationFor checks the RF and min ISR rule against the layouts it is about.
func TestReplicationFor(t *testing.T) {
	tests := []struct{ rf, sites, wantRF, wantISR int }{
		{3, 3, 3, 2}, // one replica per site; min ISR 2 is two sites, and one site's loss leaves 2
		{2, 3, 3, 2},
		{4, 3, 6, 3}, // two per site: min ISR 3 spans two sites, a site's loss leaves 4
		{4, 2, 0, 0}, // two sites: no min ISR does both
		{3, 1, 0, 0},
		{5, 5, 5, 2},
	}
	for _, tt := range tests {
		if rf, isr := ReplicationFor(tt.rf, tt.sites); rf != tt.wantRF || isr != tt.wantISR {
			t.Errorf("ReplicationFor(%d, %d) = %d, %d, want %d, %d", tt.rf, tt.sites, rf, isr, tt.wantRF, tt.wantISR)
		}
	}
}

func TestNextPow2(t *testing.T) {
	for v, want := range map[int64]int64{1: 1, 2: 2, 3: 4, 65536: 65536, 65537: 131072, 2_500_000: 4_194_304} {
		if got := nextPow2(v); got != want {
			t.Errorf("nextPow2(%d) = %d, want %d", v, got, want)
		}
	}
}

// TestMonthlyCostClassic checks the pricing on the classic arithmetic: three AZs, RF 3,
// 100 MB/s in, three consumer groups reading from leaders. Cross-AZ per second: producers
// 2/3 × 100, replication 2 × 100, consumers 3 × 2/3 × 100 = 466.7 MB/s; over 30 days 1.2096 PB,
// at $0.01/GB out and $0.01/GB in, $24,192.
func TestMonthlyCostClassic(t *testing.T) {
	perPair := int64(466_666_667) * 100 / 6 // 100 s measured, spread over the 6 ordered pairs
	s := &Summary{MeasuredSeconds: 100, Network: NetworkSummary{CrossSiteBytes: CrossSiteBytes{Pairs: map[string]int64{
		"a->b": perPair, "b->a": perPair, "a->c": perPair, "c->a": perPair, "b->c": perPair, "c->b": perPair}}}}
	total, pairs := monthlyCost(s, DefaultPricePerGB)
	if math.Abs(total-24192) > 10 || len(pairs) != 3 || pairs[0].Pair != "a<->b" {
		t.Errorf("monthlyCost = %.0f, %+v; want about 24192 over 3 pairs", total, pairs)
	}
}
