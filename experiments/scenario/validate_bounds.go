package scenario

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/stretchsim/stretchsim/model"
)

// Sane bounds. A value outside them parses, but no stretch cluster has it, and a run with it
// completes with nothing acknowledged (a 1 bit/s link, an RTT of a million hours) or never
// completes (a run of 292 years). Validate refuses such values and names the bound.
const (
	// MaxDuration is the longest run: a week of simulated time. A 24-hour run is the longest
	// anyone has asked for; a week of the reference scenario is hours of wall time.
	MaxDuration = 7 * 24 * time.Hour
	// MaxRTT bounds every duration of an RTT distribution and a link's jitter: a geostationary
	// satellite hop is 0.6 s; at 10 s, every Kafka timeout (request.timeout.ms 30 s,
	// replica.lag.time.max.ms 30 s, broker.session.timeout.ms 9 s) fires on a healthy link.
	MaxRTT = 10 * time.Second
	// MinBandwidth is the slowest link or NIC: at 1 Mbit/s one default-size fetch response
	// (replica.fetch.max.bytes, 1 MiB) takes 8.4 s to cross, a third of request.timeout.ms.
	MinBandwidth model.BitRate = 1e6
	// MinHardwareRate is the slowest disk or per-thread CPU byte rate: 1 MB/s, a floppy-era disk.
	MinHardwareRate model.ByteRate = 1e6
	// MinSocketBufferMax is the smallest hardware.rmem_max or wmem_max (net.core.rmem_max,
	// net.core.wmem_max): 4 KiB. Linux gives a socket a minimum buffer regardless (SOCK_MIN_RCVBUF,
	// about 2.3 KB; SOCK_MIN_SNDBUF, about 4.6 KB), and a cap of a few bytes is a typo.
	MinSocketBufferMax = 4 * model.KiB
	// MaxRequestCPUTime bounds hardware.request_cpu_time: at 1 s per request a broker handles
	// fewer requests a second than it has connections.
	MaxRequestCPUTime = time.Second
	// MaxSeriesRows bounds duration / metrics_interval: the rows of series.csv, each held in
	// memory until the run ends.
	MaxSeriesRows = 1_000_000
	// maxTopicName is Kafka's limit on a topic name (org.apache.kafka.common.internals.Topic,
	// MAX_NAME_LENGTH).
	maxTopicName = 249
)

// bounds checks the run's length and its series against MaxDuration and MaxSeriesRows.
func (v *validator) bounds() {
	s := v.s
	if s.Duration > MaxDuration {
		v.errorf("duration", "%v is longer than %v, the longest run stretchsim accepts (MaxDuration)", s.Duration, MaxDuration)
	} else if s.MetricsInterval >= time.Millisecond && s.Duration/s.MetricsInterval > MaxSeriesRows {
		v.errorf("metrics_interval", "%v over a %v run is %d rows of series, more than %d: use a longer interval",
			s.MetricsInterval, s.Duration, s.Duration/s.MetricsInterval, MaxSeriesRows)
	}
}

// rttBound checks every duration of an RTT distribution against MaxRTT (a Pareto's median, since
// its other parameter is a shape).
func (v *validator) rttBound(path string, d model.DistSpec) {
	var worst time.Duration
	switch d.Kind {
	case model.DistConstant:
		worst = d.Value
	case model.DistNormal:
		worst = max(d.Mean, d.SD)
	case model.DistLogNormal:
		worst = d.P99
	case model.DistPareto:
		worst = d.MedianValue()
	case model.DistEmpirical:
		for _, x := range d.Samples {
			worst = max(worst, x)
		}
	}
	if worst > MaxRTT {
		what := worst.String()
		if d.Kind != model.DistConstant {
			what = fmt.Sprintf("%s reaches %v, which", d, worst)
		}
		v.errorf(path, "%s is above %v, the longest round-trip time stretchsim accepts (MaxRTT; a geostationary satellite hop is 600ms)",
			what, MaxRTT)
	}
}

// bandwidthBound checks a link, NIC or fault bandwidth against MinBandwidth.
func (v *validator) bandwidthBound(path string, b model.BitRate) {
	if b > 0 && b < MinBandwidth {
		v.errorf(path, "%s is below %s, the slowest link stretchsim accepts (MinBandwidth: a 1 MiB fetch would take %v to cross)",
			FormatBitRate(b), FormatBitRate(MinBandwidth), time.Duration(float64(8<<20)/float64(b)*1e9).Round(time.Second))
	}
}

// hardwareBounds checks the broker hardware against MinHardwareRate and MaxRequestCPUTime.
func (v *validator) hardwareBounds(h model.HardwareSpec) {
	if h.RequestCPUTime > MaxRequestCPUTime {
		v.errorf("hardware.request_cpu_time", "%v is above %v, the most CPU time per request stretchsim accepts", h.RequestCPUTime, MaxRequestCPUTime)
	}
	for _, r := range []struct {
		path string
		rate model.ByteRate
	}{{"hardware.cpu_bytes_per_second", h.CPUBytesPerSecond}, {"hardware.disk_write_bandwidth", h.DiskWriteBandwidth}} {
		if r.rate > 0 && r.rate < MinHardwareRate {
			v.errorf(r.path, "%s is below %s, the slowest rate stretchsim accepts", FormatByteRate(r.rate), FormatByteRate(MinHardwareRate))
		}
	}
	for c := model.CodecGzip; c < model.NumCodecs; c++ {
		for _, r := range []struct {
			key  string
			rate model.ByteRate
		}{{"compress", h.Codecs[c].Compress}, {"decompress", h.Codecs[c].Decompress}} {
			if r.rate > 0 && r.rate < MinHardwareRate {
				v.errorf("hardware.compression."+c.String()+"."+r.key, "%s is below %s, the slowest rate stretchsim accepts",
					FormatByteRate(r.rate), FormatByteRate(MinHardwareRate))
			}
		}
	}
}

// names checks every name the scenario gives: none holds a control character (a newline in a
// name would break the printed results and the fault lines), and topic names follow Kafka's
// rule (Topic.validate: at most 249 characters of [a-zA-Z0-9._-], not "." or "..").
func (v *validator) names() {
	check := func(path, name string) {
		if i := strings.IndexFunc(name, unicode.IsControl); i >= 0 {
			v.errorf(path, "%q holds the control character %U: names are printed in results and fault lines", name, []rune(name[i:])[0])
		}
	}
	check("name", v.s.Name)
	for i, s := range v.s.Sites {
		p := indexPath("sites", i)
		check(p+".name", s.Name)
		for k, r := range s.Racks {
			check(indexPath(p+".racks", k), r)
		}
	}
	for i, t := range v.s.Topics {
		p := indexPath("topics", i) + ".name"
		switch {
		case t.Name == "":
			// validate_topics reports it
		case len(t.Name) > maxTopicName:
			v.errorf(p, "is %d characters long: Kafka allows at most %d (Topic.validate)", len(t.Name), maxTopicName)
		case t.Name == "." || t.Name == "..":
			v.errorf(p, "%q is not a legal topic name in Kafka (Topic.validate)", t.Name)
		case strings.IndexFunc(t.Name, illegalTopicRune) >= 0:
			r := []rune(t.Name[strings.IndexFunc(t.Name, illegalTopicRune):])[0]
			v.errorf(p, "%q holds %s: Kafka topic names use only ASCII letters, digits, '.', '_' and '-' (Topic.validate)", t.Name, runeName(r))
		}
	}
	for i, p := range v.s.Producers {
		check(indexPath("producers", i)+".name", p.Name)
	}
	for i, c := range v.s.Consumers {
		check(indexPath("consumers", i)+".name", c.Name)
	}
}

func illegalTopicRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
}

// runeName names a character for an error: "a space", "U+000A" for a control character, or the
// character quoted.
func runeName(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case unicode.IsControl(r) || r == utf8Error:
		return fmt.Sprintf("the character %U", r)
	}
	return fmt.Sprintf("%q", r)
}

const utf8Error = '\uFFFD'
