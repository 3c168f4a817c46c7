package scenario

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/model/conf"
)

// readSamples reads the samples of an empirical distribution from data, the contents of file:
// one sample per record, or the named column of a CSV file whose first record is its header.
func readSamples(file string, data []byte, column string) ([]time.Duration, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	col := 0
	var out []time.Duration
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("empirical: %s: %w", file, err)
		}
		line, _ := r.FieldPos(0)
		if first && column != "" {
			if col = headerIndex(rec, column); col < 0 {
				return nil, fmt.Errorf("empirical: %s:%d: no column %q in the header (%s)", file, line, column, strings.Join(rec, ", "))
			}
			continue
		}
		if err := checkFields(file, line, rec, col, column); err != nil {
			return nil, err
		}
		d, err := parseSample(rec[col])
		if err != nil && first && !looksNumeric(rec[col]) {
			continue // a header
		}
		if err != nil {
			return nil, fmt.Errorf("empirical: %s:%d: %w", file, line, err)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empirical: %s has no samples", file)
	}
	return out, nil
}

// checkFields checks that record rec, at line, has the field to read.
func checkFields(file string, line int, rec []string, col int, column string) error {
	if column == "" && len(rec) != 1 {
		return fmt.Errorf("empirical: %s:%d: %d fields: name the column to read, e.g. empirical(%s, column=NAME)", file, line, len(rec), file)
	}
	if col >= len(rec) {
		return fmt.Errorf("empirical: %s:%d: no field for column %q", file, line, column)
	}
	return nil
}

func headerIndex(header []string, column string) int {
	for i, h := range header {
		if strings.TrimSpace(h) == column {
			return i
		}
	}
	return -1
}

// parseSample parses one empirical sample: a duration with a unit, or a plain number of
// milliseconds. Samples must not be negative.
func parseSample(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	var d time.Duration
	if ms, err := strconv.ParseFloat(t, 64); err == nil && !strings.ContainsAny(t, "xXpPiInN_") {
		ns := ms * float64(time.Millisecond)
		if math.Abs(ns) >= math.MaxInt64 {
			return 0, fmt.Errorf("%q milliseconds is out of range", s)
		}
		d = time.Duration(math.Round(ns))
	} else if d, err = ParseDuration(t); errors.Is(err, conf.ErrUnitSpace) {
		return 0, err
	} else if err != nil {
		return 0, fmt.Errorf("%q is neither a duration (\"12.5ms\") nor a number of milliseconds", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("sample %q is negative", s)
	}
	return d, nil
}

// looksNumeric reports whether s starts like a number, so that a first line that does not is
// taken for a header.
func looksNumeric(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && strings.ContainsRune("0123456789+-.", rune(s[0]))
}
