package scenario

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNestedAliasesRefused checks that a few hundred bytes of nested YAML aliases (a "billion
// laughs" document), which would expand into 10^9 values, are refused before decoding.
func TestNestedAliasesRefused(t *testing.T) {
	lines := []string{"name: x", "a0: &a0 [a, a, a, a, a, a, a, a, a, a]"}
	for i := 1; i <= 8; i++ {
		lines = append(lines, fmt.Sprintf("a%d: &a%d [%s]", i, i, strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9)+fmt.Sprintf("*a%d", i-1)))
	}
	_, err := Parse("laughs.yaml", []byte(strings.Join(lines, "\n")+"\n"), Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "laughs.yaml:1: the YAML aliases expand to more than")
}

// TestErrorsBounded checks that a file with thousands of problems reports the first MaxErrors
// and a count, not megabytes of text.
func TestErrorsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: x\nduration: 10s\n")
	for i := range 500 {
		fmt.Fprintf(&b, "unknown%d: 1\n", i)
	}
	_, err := Parse("many.yaml", []byte(b.String()), Options{})
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	assert.Len(t, lines, MaxErrors+1)
	assert.Contains(t, lines[len(lines)-1], "more errors")
}
