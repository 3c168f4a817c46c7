package scenario

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A YAML syntax error is reported at the offending line, not at yaml.v3's (which is that of the
// error's context, counted from 0 for parser errors).
func TestYAMLErrorLine(t *testing.T) {
	tests := []struct {
		name, yaml string
		line       int
		msg        string
	}{
		{"unclosed flow mapping", "a: 1\nb: 2\nc: {x: 1\nd: 4\n", 3, "did not find expected ',' or '}'"},
		{"unclosed flow mapping on line 1", "c: {x: 1\nd: 4\n", 1, "did not find expected ',' or '}'"},
		{"unclosed flow sequence", "a: 1\nb: [1, 2\nc: 3\n", 2, "did not find expected ',' or ']'"},
		{"unclosed flow mapping after a multi-line one", "a: {x: 1,\n  y: 2}\nb: 2\nc: {x: 1\nd: 4\n", 4, "did not find expected ',' or '}'"},
		{"bad indentation", "a: 1\nb:\n  x: 1\n y: 2\nc: 3\n", 4, "did not find expected key"},
		{"bad indentation deep", "x:\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n d2: 5\n", 6, "did not find expected key"},
		{"tab after a value", "a: 1\nb:\n  x: 1\n\ty: 2\nc: 3\n", 4, "found a tab character that violates indentation"},
		{"tab as indentation", "a: 1\nb:\n\tx: 1\nc: 3\n", 3, "found character that cannot start any token"},
		{"unclosed quote", "a: 1\nb: \"abc\nc: 3\n", 2, "found unexpected end of stream"},
		{"nested mapping value", "a: 1\nb: x: y\n", 2, "mapping values are not allowed in this context"},
		{"unknown alias", "a: 1\nb: *nope\nc: 3\n", 2, "unknown anchor 'nope' referenced"},
		{"no newline at the end", "a: 1\nb: {x: 1", 2, "did not find expected ',' or '}'"},
		{"in the second document", "a: 1\n---\nb: {x: 1\n", 3, "did not find expected ',' or '}'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseYAML("f.yaml", []byte(tt.yaml))
			var se *Error
			require.True(t, errors.As(err, &se), "%v", err)
			assert.Equal(t, tt.line, se.Line, "%v", err)
			assert.Equal(t, "invalid YAML: "+tt.msg, se.Err.Error())
			assert.Equal(t, "f.yaml", se.File)
		})
	}
}
