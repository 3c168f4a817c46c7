package deploy

import (
	"bufio"
	"os"
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
		case instr == "FROM" && rest != "":
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

func readRepoFile(t *testing.T, name string) string {
	data, err := os.ReadFile(filepath.Join("..", name))
	require.NoError(t, err)
	return string(data)
}

// The Dockerfile builds a static binary with the Go release of go.mod and runs it as a non-root
// user.
func TestDockerfile(t *testing.T) {
	assert.Empty(t, checkDockerfile(readRepoFile(t, "Dockerfile"), goModVersion(t)))
}

// Each broken copy fails the checks with the expected message, so that the test above cannot
// pass by checking nothing.
func TestDockerfileBroken(t *testing.T) {
	dockerfile := readRepoFile(t, "Dockerfile")
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
}
