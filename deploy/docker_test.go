package deploy

import (
	"bufio"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Docker cannot run on the machines that test stretchsim, so the image build itself is never
// tested here. These checks read the Dockerfile and .dockerignore for the mistakes that would
// only show when someone builds the image: a Go release behind go.mod, cgo, a root user, an
// entrypoint that is not the binary, a context that leaves out a file the build needs.

// dockerStage is one FROM … of a Dockerfile, with its instructions (name upper-cased, then the
// rest of the line, continuation lines joined).
type dockerStage struct {
	from, name string
	instrs     [][2]string
}

// parseDockerfile returns the default of each ARG before the first FROM, and the stages.
func parseDockerfile(text string) (map[string]string, []dockerStage) {
	args := map[string]string{}
	var stages []dockerStage
	var line string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "#") || (l == "" && line == "") {
			continue
		}
		if cont, ok := strings.CutSuffix(l, `\`); ok {
			line += cont + " "
			continue
		}
		line += l
		instr, rest, _ := strings.Cut(line, " ")
		instr, rest, line = strings.ToUpper(instr), strings.TrimSpace(rest), ""
		switch {
		case instr == "FROM":
			f := strings.Fields(rest)
			st := dockerStage{from: os.Expand(f[0], func(k string) string { return args[k] })}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				st.name = f[2]
			}
			stages = append(stages, st)
		case len(stages) == 0 && instr == "ARG":
			k, v, _ := strings.Cut(rest, "=")
			args[k] = v
		case len(stages) > 0:
			st := &stages[len(stages)-1]
			st.instrs = append(st.instrs, [2]string{instr, rest})
		}
	}
	return args, stages
}

// goModVersion returns the go directive of go.mod, such as "1.26".
func goModVersion(t *testing.T) string {
	data, err := os.ReadFile(filepath.Join("..", "go.mod"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(data)
	require.NotNil(t, m, "go.mod has no go directive")
	return string(m[1])
}

// checkDockerfile checks a Dockerfile against the Go version of go.mod.
func checkDockerfile(text, goVersion string) problems {
	var p problems
	_, stages := parseDockerfile(text)
	if len(stages) < 2 {
		p.addf("%d stages, not a build stage and a final one", len(stages))
		return p
	}
	var build *dockerStage
	for i := range stages[:len(stages)-1] {
		if strings.HasPrefix(stages[i].from, "golang:") {
			build = &stages[i]
		}
	}
	if build == nil {
		p.addf("no build stage FROM golang:")
		return p
	}
	tag := strings.TrimPrefix(build.from, "golang:")
	if tag != goVersion && !strings.HasPrefix(tag, goVersion+".") && !strings.HasPrefix(tag, goVersion+"-") {
		p.addf("the build stage is FROM %s, go.mod names Go %s", build.from, goVersion)
	}
	if !build.has(func(i, r string) bool { return (i == "ENV" || i == "RUN") && strings.Contains(r, "CGO_ENABLED=0") }) {
		p.addf("the build does not set CGO_ENABLED=0: the binary would need libc")
	}
	if !build.has(func(i, r string) bool {
		return i == "RUN" && strings.Contains(r, "go build") && strings.Contains(r, "./cmd/stretchsim")
	}) {
		p.addf("no RUN go build … ./cmd/stretchsim")
	}
	checkFinalStage(stages[len(stages)-1], build.name, &p)
	return p
}

func (s *dockerStage) has(match func(instr, rest string) bool) bool {
	for _, in := range s.instrs {
		if match(in[0], in[1]) {
			return true
		}
	}
	return false
}

// checkFinalStage checks the image's own stage: nothing but the binary on a static base, run as
// a numeric non-root user (Kubernetes' runAsNonRoot can only check a number).
func checkFinalStage(final dockerStage, build string, p *problems) {
	if final.from != "scratch" && !strings.HasPrefix(final.from, "gcr.io/distroless/static") {
		p.addf("the image is FROM %s, not scratch or distroless static", final.from)
	}
	var user, entry, copied string
	for _, in := range final.instrs {
		switch in[0] {
		case "USER":
			user = in[1]
		case "ENTRYPOINT":
			entry = in[1]
		case "COPY":
			if f := strings.Fields(in[1]); len(f) == 3 && f[0] == "--from="+build {
				copied = f[2]
			}
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		p.addf("USER %q: want a numeric uid other than 0", user)
	}
	if copied == "" || entry != `["`+copied+`"]` {
		p.addf("ENTRYPOINT %s is not the exec form of the binary copied from the build stage (%q)", entry, copied)
	}
}

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

func readRepoFile(t *testing.T, name string) string {
	data, err := os.ReadFile(filepath.Join("..", name))
	require.NoError(t, err)
	return string(data)
}

// The Dockerfile builds a static binary with the Go release of go.mod and runs it as a non-root
// user; .dockerignore keeps every file the build reads.
func TestDockerfile(t *testing.T) {
	assert.Empty(t, checkDockerfile(readRepoFile(t, "Dockerfile"), goModVersion(t)))
	inputs := buildInputs(t)
	require.Contains(t, inputs, "scenarios/default.yaml", "the build embeds the scenarios")
	assert.Empty(t, checkDockerignore(readDockerignore(readRepoFile(t, ".dockerignore")), inputs))
}

// Each broken copy fails the checks with the expected message, so that the test above cannot
// pass by checking nothing.
func TestDockerfileBroken(t *testing.T) {
	dockerfile, ignore := readRepoFile(t, "Dockerfile"), readRepoFile(t, ".dockerignore")
	goVersion := goModVersion(t)
	cases := []struct {
		name, old, new, want string
	}{
		{"Go behind go.mod", `(?m)^ARG GO_VERSION=.*$`, "ARG GO_VERSION=1.21.0", "go.mod names Go"},
		{"cgo", `CGO_ENABLED=0`, "CGO_ENABLED=1", "CGO_ENABLED=0"},
		{"root", `(?m)^USER .*$`, "USER root", "numeric uid"},
		{"uid 0", `(?m)^USER .*$`, "USER 0:0", "numeric uid"},
		{"shell form", `(?m)^ENTRYPOINT .*$`, "ENTRYPOINT /usr/local/bin/stretchsim", "exec form"},
		{"a base with a distribution", `(?m)^FROM gcr\.io/distroless/\S+`, "FROM debian:trixie", "not scratch or distroless"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			re := regexp.MustCompile(tc.old)
			require.True(t, re.MatchString(dockerfile), "the mutation's target is gone: update this test")
			p := checkDockerfile(re.ReplaceAllString(dockerfile, tc.new), goVersion)
			assert.Contains(t, strings.Join(p, "\n"), tc.want)
		})
	}
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
