package workloads

import (
	"testing"
	"time"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
)

var sinkRecord model.Record

// BenchmarkNext measures one Next per process kind (and with keys); it must report 0 allocs/op.
func BenchmarkNext(b *testing.B) {
	base := Spec{Rate: Rate{BytesPerSec: 20e6}, RecordSize: model.KiB,
		On: 100 * time.Millisecond, Off: 100 * time.Millisecond, KeyCount: 10_000, ZipfS: 1.2}
	cases := []struct {
		name    string
		process Process
		keys    KeyKind
	}{
		{"constant", Constant, NoKeys},
		{"poisson", Poisson, NoKeys},
		{"onoff", OnOff, NoKeys},
		{"poisson/uniform-keys", Poisson, UniformKeys},
		{"poisson/zipf-keys", Poisson, ZipfKeys},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			spec := base
			spec.Process, spec.Keys = c.process, c.keys
			a := New(spec, sim.NewStream(1, "producer/bench"))
			b.ReportAllocs()
			for b.Loop() {
				sinkRecord = a.Next()
			}
		})
	}
}
