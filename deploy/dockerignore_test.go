package deploy

import (
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dockerignored reports whether the patterns of a .dockerignore leave the file at rel (slash
// separated, from the context's root) out of the build context, with Docker's rules: patterns
// are anchored at the root, * and ? stop at a slash, ** spans directories, a pattern that
// matches a directory leaves out everything under it, and the last matching pattern wins, a
// leading ! putting the file back.
func dockerignored(patterns []string, rel string) bool {
	ignored := false
	for _, pat := range patterns {
		keep := strings.HasPrefix(pat, "!")
		pat = strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(pat, "!")), "/")
		re := regexp.MustCompile("^" + globRegexp(pat) + "$")
		for p := rel; ; p = path.Dir(p) {
			if re.MatchString(p) {
				ignored = !keep
				break
			}
			if !strings.Contains(p, "/") {
				break
			}
		}
	}
	return ignored
}

// globRegexp translates a .dockerignore pattern into a regular expression.
func globRegexp(pat string) string {
	var b strings.Builder
	for i := 0; i < len(pat); i++ {
		switch c := pat[i]; {
		case strings.HasPrefix(pat[i:], "**/"):
			b.WriteString("(.*/)?")
			i += 2
		case strings.HasPrefix(pat[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// readDockerignore returns the patterns of a .dockerignore text.
func readDockerignore(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// buildInputs returns the files of this module that `go build ./cmd/stretchsim` reads (go.mod,
// go.sum, the Go files and the embedded files of each package it imports from this module),
// relative to the repository root.
func buildInputs(t *testing.T) []string {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list the build's files with")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	cmd := exec.Command("go", "list", "-deps", "-f",
		`{{if and .Module .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}`,
		"./cmd/stretchsim")
	cmd.Dir = root
	out, err := cmd.Output()
	require.NoError(t, err)
	files := []string{"go.mod", "go.sum"}
	for _, f := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(root, f)
		require.NoError(t, err)
		files = append(files, filepath.ToSlash(rel))
	}
	return files
}

// checkDockerignore checks that the context keeps every file the build reads, and not .git.
func checkDockerignore(patterns, inputs []string) problems {
	var p problems
	for _, f := range inputs {
		if dockerignored(patterns, f) {
			p.addf(".dockerignore leaves out %s, which the build needs", f)
		}
	}
	if !dockerignored(patterns, ".git/HEAD") {
		p.addf(".dockerignore keeps .git: a large context, and the image would depend on the clone")
	}
	return p
}

// .dockerignore keeps every file the build reads, and leaves out .git.
func TestDockerignore(t *testing.T) {
	inputs := buildInputs(t)
	require.Contains(t, inputs, "scenarios/default.yaml", "the build embeds the scenarios")
	assert.Empty(t, checkDockerignore(readDockerignore(readRepoFile(t, ".dockerignore")), inputs))
}

// Each broken copy fails the check with the expected message, so that the test above cannot pass
// by checking nothing.
func TestDockerignoreBroken(t *testing.T) {
	ignore := readRepoFile(t, ".dockerignore")
	inputs := []string{"go.mod", "go.sum", "cmd/stretchsim/main.go", "scenarios/default.yaml"}
	for extra, want := range map[string]string{
		"**/*.yaml":       "leaves out scenarios/default.yaml",
		"scenarios":       "leaves out scenarios/default.yaml",
		"*.sum":           "leaves out go.sum",
		"!.git\n!.git/**": "keeps .git",
	} {
		p := checkDockerignore(readDockerignore(ignore+"\n"+extra), inputs)
		assert.Contains(t, strings.Join(p, "\n"), want, extra)
	}
}

// Docker's .dockerignore matching as the checks model it.
func TestDockerignored(t *testing.T) {
	for _, tc := range []struct {
		patterns []string
		path     string
		want     bool
	}{
		{[]string{".git"}, ".git/HEAD", true},
		{[]string{".git"}, "a/.git/HEAD", false},
		{[]string{"/stretchsim"}, "stretchsim", true},
		{[]string{"/stretchsim"}, "cmd/stretchsim/main.go", false},
		{[]string{"*.out"}, "a.out", true},
		{[]string{"*.out"}, "sim/a.out", false},
		{[]string{"**/*.out"}, "sim/x/a.out", true},
		{[]string{"**/testdata"}, "experiments/testdata/a.yaml", true},
		{[]string{"**/testdata"}, "testdata/a.yaml", true},
		{[]string{"*/main.go"}, "cmd/stretchsim/main.go", false},
		{[]string{"cmd", "!cmd/stretchsim"}, "cmd/stretchsim/main.go", false},
		{[]string{"cmd", "!cmd/stretchsim"}, "cmd/other/main.go", true},
	} {
		assert.Equal(t, tc.want, dockerignored(tc.patterns, tc.path), "%v %s", tc.patterns, tc.path)
	}
}
