package scenario

import (
	"strings"
)

// ParseFaultLines decodes faults written as lines of a faults list (Fault.YAML, a run summary's
// faults), strictly as a scenario's faults are decoded but without validating them against a
// topology: names are kept as written and the ids Validate resolves stay zero. Errors name the
// list as "<faults>", by line.
func ParseFaultLines(lines []string) ([]Fault, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	text := "faults:\n  " + strings.Join(lines, "\n  ") + "\n"
	root, err := ParseYAML("<faults>", []byte(text))
	if err != nil {
		return nil, err
	}
	d := newDecoder("<faults>", Options{})
	faults := d.faults(mappingValue(root.Content[0], "faults"), "faults")
	if len(d.errs) > 0 {
		return nil, joinSorted(d.errs)
	}
	return faults, nil
}
