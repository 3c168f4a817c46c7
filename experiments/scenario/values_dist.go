package scenario

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/model"
)

// ReadFileFunc reads a whole file, as os.ReadFile does. Scenarios read empirical samples through
// one so that tests and embedded scenarios need no disk.
type ReadFileFunc func(name string) ([]byte, error)

// ParseDist parses a distribution of durations, e.g. a round-trip time:
//
//	2ms                                   constant
//	normal(mean=5ms, sd=1ms)              normal; draws below zero count as zero (Validate warns when
//	                                      more than MaxNegativeFraction of them do)
//	lognormal(median=12ms, p99=40ms)      lognormal given by its median and 99th percentile
//	pareto(min=5ms, alpha=2.5)            Pareto with scale min and shape alpha > 1 (heavier tail as
//	                                      alpha falls; at 1 and below the mean is infinite)
//	empirical(rtt.csv)                    samples from a file, drawn uniformly
//	empirical(ping.csv, column=rtt_ms)    samples from one column of a CSV file with a header
//
// Parameters may come in any order. An empirical file is read with readFile (os.ReadFile when
// nil) at its path relative to baseDir, the directory of the scenario file. It holds one sample
// per line, a duration with a unit ("12.5ms") or a plain number of milliseconds; blank lines and
// lines starting with # are skipped, and so is a first line that is not a sample (a header).
//
// The result is valid (model.DistSpec.Validate), and ParseDist(d.String()) gives back d.
func ParseDist(s, baseDir string, readFile ReadFileFunc) (model.DistSpec, error) {
	t := strings.TrimSpace(s)
	name, args, isCall, err := splitCall(t)
	if err != nil {
		return model.DistSpec{}, fmt.Errorf("%q: %w", s, err)
	}
	var d model.DistSpec
	if !isCall {
		v, err := ParseDuration(t)
		if err != nil {
			return d, fmt.Errorf("%w, or a distribution such as \"lognormal(median=12ms, p99=40ms)\"", err)
		}
		if v < 0 {
			return d, fmt.Errorf("%q is negative", s)
		}
		d = model.Constant(v)
	} else if d, err = parseDistCall(name, args, baseDir, readFile); err != nil {
		return model.DistSpec{}, fmt.Errorf("%q: %w", s, err)
	}
	if err := d.Validate(); err != nil {
		return model.DistSpec{}, fmt.Errorf("%q: %w", s, err)
	}
	return d, nil
}

// splitCall splits "name(a, b)" into its name and trimmed arguments. isCall is false when s has
// no parenthesis.
func splitCall(s string) (name string, args []string, isCall bool, err error) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if strings.ContainsRune(s, ')') {
			return "", nil, false, fmt.Errorf("unbalanced parenthesis")
		}
		return "", nil, false, nil
	}
	if !strings.HasSuffix(s, ")") || strings.Count(s, "(") != 1 || strings.Count(s, ")") != 1 {
		return "", nil, true, fmt.Errorf("want name(param=value, ...)")
	}
	name = strings.TrimSpace(s[:open])
	if inner := strings.TrimSpace(s[open+1 : len(s)-1]); inner != "" {
		for a := range strings.SplitSeq(inner, ",") {
			args = append(args, strings.TrimSpace(a))
		}
	}
	return name, args, true, nil
}

func parseDistCall(name string, args []string, baseDir string, readFile ReadFileFunc) (model.DistSpec, error) {
	switch name {
	case "normal":
		p, err := durationParams(name, args, "mean", "sd")
		return model.DistSpec{Kind: model.DistNormal, Mean: p[0], SD: p[1]}, err
	case "lognormal":
		p, err := durationParams(name, args, "median", "p99")
		return model.DistSpec{Kind: model.DistLogNormal, Median: p[0], P99: p[1]}, err
	case "pareto":
		return parsePareto(args)
	case "empirical":
		return parseEmpirical(args, baseDir, readFile)
	}
	if s, ok := closestName(name, []string{"normal", "lognormal", "pareto", "empirical"}); ok {
		return model.DistSpec{}, fmt.Errorf("unknown distribution %q (did you mean %q?)", name, s)
	}
	return model.DistSpec{}, fmt.Errorf("unknown distribution %q (want normal, lognormal, pareto or empirical)", name)
}

// params splits key=value arguments, requiring exactly the keys want, in any order.
func params(name string, args []string, want ...string) (map[string]string, error) {
	out := make(map[string]string, len(args))
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok:
			return nil, fmt.Errorf("%s: argument %q is not key=value", name, a)
		case !contains(want, k):
			return nil, fmt.Errorf("%s: unknown parameter %q (want %s)", name, k, strings.Join(want, ", "))
		case out[k] != "":
			return nil, fmt.Errorf("%s: parameter %s given twice", name, k)
		case v == "":
			return nil, fmt.Errorf("%s: parameter %s has no value", name, k)
		}
		out[k] = v
	}
	for _, k := range want {
		if out[k] == "" {
			return nil, fmt.Errorf("%s needs %s", name, strings.Join(want, " and "))
		}
	}
	return out, nil
}

// durationParams parses the duration parameters want of a distribution, in want's order.
func durationParams(name string, args []string, want ...string) ([]time.Duration, error) {
	out := make([]time.Duration, len(want))
	p, err := params(name, args, want...)
	if err != nil {
		return out, err
	}
	for i, k := range want {
		if out[i], err = ParseDuration(p[k]); err != nil {
			return out, fmt.Errorf("%s: %s: %w", name, k, err)
		}
	}
	return out, nil
}

func parsePareto(args []string) (model.DistSpec, error) {
	p, err := params("pareto", args, "min", "alpha")
	if err != nil {
		return model.DistSpec{}, err
	}
	d := model.DistSpec{Kind: model.DistPareto}
	if d.Min, err = ParseDuration(p["min"]); err != nil {
		return d, fmt.Errorf("pareto: min: %w", err)
	}
	if d.Alpha, err = strconv.ParseFloat(p["alpha"], 64); err != nil {
		return d, fmt.Errorf("pareto: alpha: %q is not a number", p["alpha"])
	}
	return d, nil
}

// parseEmpirical reads empirical(path) or empirical(path, column=NAME). Source keeps the
// arguments in canonical form so that String reads back.
func parseEmpirical(args []string, baseDir string, readFile ReadFileFunc) (model.DistSpec, error) {
	if len(args) == 0 || args[0] == "" || strings.Contains(args[0], "=") {
		return model.DistSpec{}, fmt.Errorf("empirical needs a file: empirical(rtt.csv) or empirical(ping.csv, column=rtt_ms)")
	}
	file, column := args[0], ""
	source := file
	if len(args) > 1 {
		p, err := params("empirical", args[1:], "column")
		if err != nil {
			return model.DistSpec{}, err
		}
		column = p["column"]
		source += ", column=" + column
	}
	if readFile == nil {
		readFile = ReadRegularFile
	}
	name := file
	if !filepath.IsAbs(file) {
		name = filepath.Join(baseDir, file)
	}
	data, err := readFile(name)
	if err != nil {
		return model.DistSpec{}, fmt.Errorf("empirical: %w", err)
	}
	samples, err := readSamples(file, data, column)
	if err != nil {
		return model.DistSpec{}, err
	}
	return model.DistSpec{Kind: model.DistEmpirical, Samples: samples, Source: source}, nil
}
