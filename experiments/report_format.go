package experiments

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Numbers for people, in the report: "20.0 MB/s", "p99 9.1 ms", "0.9987", "1,234".

// latencyText is "p50 5.4 ms, p99 11.8 ms, max 18.4 ms", or "n/a".
func latencyText(p *Percentiles) string {
	if p == nil {
		return notAvailable
	}
	return fmt.Sprintf("p50 %s, p99 %s, max %s", msText(p.P50), msText(p.P99), msText(p.Max))
}

// msText is a latency in milliseconds: "9.1 ms", "12.3 ms", "2572 ms", "0.21 ms", and from
// 10 s in seconds: "25.1 s".
func msText(v float64) string {
	switch {
	case math.Abs(v) >= 10000:
		return strconv.FormatFloat(v/1000, 'f', 1, 64) + " s"
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64) + " ms"
	case math.Abs(v) >= 1:
		return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
	}
	return sigText(v, 2) + " ms"
}

// sigText formats v to n significant digits without an exponent (all the digits of a whole
// number above them): 9.06 → "9.06", 2571.8 → "2572", 0.000123 → "0.000123".
func sigText(v float64, n int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return notAvailable
	}
	if v == 0 {
		return "0"
	}
	mag := int(math.Floor(math.Log10(math.Abs(v))))
	decimals := max(n-1-mag, 0)
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// fractionText is a fraction in [0, 1] to 4 decimals: "0.9987", or "n/a".
func fractionText(v *float64) string { return figureText(v, 4, "") }

// secondsText is a time in seconds: "60 s", "2.35 s", "4 min" for whole minutes past 2.
func secondsText(v float64) string {
	if v >= 120 && math.Mod(v, 60) == 0 {
		return strconv.FormatFloat(v/60, 'f', -1, 64) + " min"
	}
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64) + " s"
	}
	return sigText(v, 3) + " s"
}

func secondsPtrText(v *float64) string {
	if v == nil {
		return notAvailable
	}
	return secondsText(*v)
}

func crossSiteText(s *Summary) string {
	total := s.Network.CrossSiteBytes.Total
	return bytesText(total) + " (" + rateText(rate(total, s.MeasuredSeconds)) + ")"
}

func invariantsText(inv InvariantsSummary) string {
	if !inv.Checked {
		return "not checked"
	}
	if n := len(inv.Violations); n > 0 {
		return fmt.Sprintf("%d %s", n, plural(int64(n), "violation", "violations"))
	}
	return "all held"
}

// Cells of the report's tables.

func textCell(s string) pageCell { return pageCell{Text: s, Sort: s} }

func intCell(n int64) pageCell {
	return pageCell{Text: grouped(n), Sort: strconv.FormatInt(n, 10), Num: true}
}

func rateCell(v *float64) pageCell {
	c := pageCell{Text: rateText(v), Num: true}
	if v != nil {
		c.Sort = strconv.FormatFloat(*v, 'g', -1, 64)
	}
	return c
}

// numCell is v formatted by f, sorting by v; NaN is "n/a", sorting last.
func numCell(v float64, f func(float64) string) pageCell {
	if math.IsNaN(v) {
		return pageCell{Text: notAvailable, Num: true}
	}
	return pageCell{Text: f(v), Sort: strconv.FormatFloat(v, 'g', -1, 64), Num: true}
}

// durText is a duration as people write it: "200µs", "2ms", "30 s", "4 min", "2 min 10 s".
func durText(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min"
	case d > time.Minute:
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min " + durText(d%time.Minute)
	case d >= time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
	}
	return d.String()
}
