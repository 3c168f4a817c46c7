package scenario

import (
	"fmt"
	"strconv"
	"time"
)

// ComfortableReplicas is the largest scenario, in partition replicas over all topics, that runs
// comfortably: at 30,000 a simulated second took 1.7 s of wall time and the run 0.7 GB. Validate
// warns above it, with the cost measuredCost predicts; it refuses only above MaxReplicas.
const ComfortableReplicas = 30_000

// costPoint is the measured cost of runs of one size.
type costPoint struct {
	replicas   int
	wallPerSec float64 // seconds of wall time per simulated second
	peakBytes  float64 // peak resident memory, bytes
}

// measuredCost is the cost of the built-in default scenario (3 sites × 3 brokers, RF 3, one
// 20 MB/s acks=all producer of 1 KiB records, one consumer) with its topic's partition count
// raised, measured on a shared 2-core machine (load average 2.5-3.5) with:
//
//	go build -o /tmp/ss ./cmd/stretchsim
//	/usr/bin/time -v /tmp/ss run scenarios/default.yaml --set 'topics[orders].partitions=N' \
//	    --set duration=D --set warmup=1s
//
//	partitions  replicas  wall at D=2s  wall at D=10s  per sim. second  per replica   peak RSS
//	     1,000     3,000        0.33 s         1.39 s          0.13 s       44 µs     0.12 GB
//	    10,000    30,000        3.54 s        17.11 s          1.70 s       57 µs     0.69 GB
//	    20,000    60,000        4.56 s        28.72 s          3.02 s       50 µs     0.61 GB
//	    50,000   150,000        12.1 s         49.5 s          4.7 s        31 µs     0.67 GB
//	   100,000   300,000        13.3 s         62.9 s          6.2 s        21 µs     1.07 GB
//	   300,000   900,000        18.2 s   35.7 s (D=4s)         8.7 s       9.7 µs     2.16 GB
//
// The wall time per simulated second is the slope between the two durations (so it leaves out
// the setup, under a second); it grows less than linearly beyond 30,000 replicas because one
// producer's batches reach ever fewer of the partitions. Peak memory is taken as the largest
// measured at or below a size (it did not grow from 30,000 to 150,000 replicas). More traffic, more
// clients or a longer warm-up cost more.
var measuredCost = []costPoint{
	{3_000, 0.13, 0.124e9},
	{30_000, 1.70, 0.693e9},
	{60_000, 3.02, 0.693e9},
	{150_000, 4.7, 0.693e9},
	{300_000, 6.2, 1.073e9},
	{900_000, 8.7, 2.158e9},
}

// estimateCost returns the wall time and the peak memory a run of replicas partition replicas
// simulating duration is expected to take, interpolated linearly between the measured sizes
// (proportionally below the first, along the last segment beyond the last).
func estimateCost(replicas int, duration time.Duration) (wall time.Duration, peakBytes float64) {
	pts := measuredCost
	a, b := costPoint{}, pts[0]
	for i := 1; i < len(pts) && replicas > b.replicas; i++ {
		a, b = pts[i-1], pts[i]
	}
	f := float64(replicas-a.replicas) / float64(b.replicas-a.replicas)
	perSec := a.wallPerSec + f*(b.wallPerSec-a.wallPerSec)
	peakBytes = max(pts[0].peakBytes, a.peakBytes+f*(b.peakBytes-a.peakBytes))
	return time.Duration(perSec * float64(duration)), peakBytes
}

// size warns when the topics' partitions, replicas in all, are more than ComfortableReplicas,
// stating the cost measuredCost predicts for the run's duration.
func (v *validator) size(partitions, replicas int) {
	if replicas <= ComfortableReplicas || replicas > MaxReplicas || v.s.Duration <= 0 {
		return
	}
	path, what := "topics", fmt.Sprintf("%d partitions in %d topics = %d replicas", partitions, len(v.s.Topics), replicas)
	if len(v.s.Topics) == 1 {
		path = "topics[0].partitions"
		what = fmt.Sprintf("%d partitions × RF %d = %d replicas", partitions, v.s.Topics[0].ReplicationFactor, replicas)
	}
	wall, mem := estimateCost(replicas, v.s.Duration)
	perReplica := wall.Seconds() / v.s.Duration.Seconds() / float64(replicas) * 1e6
	v.warnf(path, "%s, above the %d that run comfortably: measured cost ≈ %s µs of wall time per replica per "+
		"simulated second, so expect ~%s of wall time for %v simulated and ~%s of memory "+
		"(measured with one 20 MB/s producer; more traffic costs more)",
		what, ComfortableReplicas, strconv.FormatFloat(perReplica, 'g', 2, 64), roughDuration(wall), v.s.Duration,
		roughBytes(mem))
}

// roughDuration formats d to two significant digits in seconds, minutes or hours: "45 s",
// "1.7 min", "3.2 h".
func roughDuration(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s < 90:
		return strconv.FormatFloat(s, 'g', 2, 64) + " s"
	case s < 90*60:
		return strconv.FormatFloat(s/60, 'g', 2, 64) + " min"
	}
	return strconv.FormatFloat(s/3600, 'g', 2, 64) + " h"
}

// roughBytes formats b in GB (SI) to two significant digits: "2.2 GB".
func roughBytes(b float64) string { return strconv.FormatFloat(b/1e9, 'g', 2, 64) + " GB" }
