package scenario

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/bad")

// Each bad scenario gives exactly one error, naming the file, the line and the path, as its
// golden .err file holds it. Run with -update to rewrite the goldens, then review them.
func TestBadScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			_, err := Load(file, Options{})
			require.Error(t, err)
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(file, ".yaml") + ".err"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err2 := os.ReadFile(golden)
			require.NoError(t, err2)
			assert.Equal(t, string(want), got)
			assert.Equal(t, 1, strings.Count(got, "\n"), "want exactly one error")
			var se *Error
			require.True(t, errors.As(err, &se), "want an *Error")
			assert.Equal(t, file, se.File)
		})
	}
}
