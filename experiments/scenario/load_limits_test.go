package scenario

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// TestInputsMustBeRegularFiles checks that a scenario or sample file that is a FIFO, a directory
// or a device is refused at once (reading one could block or never end), and so is one larger
// than MaxInputBytes.
func TestInputsMustBeRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(MaxInputBytes+1)) // sparse: nothing is written
	require.NoError(t, f.Close())
	for _, name := range []string{fifo, dir, "/dev/zero"} {
		_, err := ReadRegularFile(name)
		assert.ErrorContains(t, err, "not a regular file", name)
	}
	_, err = ReadRegularFile(big)
	assert.ErrorContains(t, err, "more than the 64 MiB")
	_, err = Parse("s.yaml", []byte("name: x\nduration: 10s\nnetwork: {inter_site: {rtt: 'empirical(/dev/zero)'}}\n"), Options{})
	assert.ErrorContains(t, err, "not a regular file")
}

// TestLongValuesRefused checks that a scalar longer than MaxValueLength (a ten-million-digit
// number would take quadratic time to parse) is refused by its path before anything is decoded,
// and that the message does not repeat it.
func TestLongValuesRefused(t *testing.T) {
	long := strings.Repeat("9", 100_000)
	_, err := Parse("long.yaml", []byte("name: x\nduration: 10s\nseed: "+long+"\n"), Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "long.yaml:3: seed: a value of 100000 characters: at most 4096")
	assert.Less(t, len(err.Error()), 200)
}
