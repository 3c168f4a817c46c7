package model

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

func BenchmarkZZHeapProf(b *testing.B) {
	runtime.MemProfileRate = 512
	s, c := newScaledReference(b, 100000)
	s.RunUntil(sim.Time(60 * time.Second))
	runtime.GC()
	f, _ := os.Create("/tmp/heap100k.prof")
	pprof.Lookup("heap").WriteTo(f, 0)
	f.Close()
	runtime.KeepAlive(c)
}
