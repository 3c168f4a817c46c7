package model_test

import (
	"testing"
	"time"
)

func TestSmoke(t *testing.T) {
	spec := testSpec(3, 2*time.Millisecond, 20e6)
	s, c := runSpec(spec, 1, 10*time.Second, 20e6)
	p := c.Producers()[0].Metrics()
	t.Logf("events %d acked %d failed %d p50 %dus p99 %dus errors %v", s.Events(), p.AckedRecords, p.FailedRecords,
		p.Latency.ValueAtQuantile(50), p.Latency.ValueAtQuantile(99), p.Errors)
	k := c.Consumers()[0].Metrics()
	t.Logf("consumed %d e2e p50 %dus", k.Records, k.EndToEnd.ValueAtQuantile(50))
	for _, b := range c.Brokers() {
		t.Logf("broker %d %+v", b.ID, b.Metrics())
	}
	t.Log(c.CheckInvariants(s.Now()))
}
