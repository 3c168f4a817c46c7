package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// version is the release version, set at link time with -ldflags "-X main.version=v1.2.3".
// When it is left at "dev", the build info the go command records is used instead.
var version = "dev"

// resolveVersion returns the version to report: the link-time version if set, else what the
// binary's build info names (see buildVersion).
func resolveVersion() string {
	if version != "dev" {
		return version
	}
	info, _ := debug.ReadBuildInfo()
	return buildVersion(info)
}

// buildVersion names the build from its build info (nil when there is none): the main module
// version when the go command recorded one (go install module@version, or a build in a tagged
// or pseudo-versioned checkout, which carries "+dirty" itself), else the VCS revision, shortened
// to 12 hex digits and marked "+dirty" when the work tree had changes, else "dev". A plain
// `go build` in a clone records the revision; `go run`, tests and -buildvcs=false record neither.
func buildVersion(info *debug.BuildInfo) string {
	if info == nil {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}

// keyVersion returns the version that sweep, explore and review key their runs with (a directory's
// finished runs are reused when their keys match). A release or a clean revision names its code;
// "dev" (go run, go test, a build with -buildvcs=false) and a revision with uncommitted changes
// do not, so the SHA-256 of the executable itself is added: a binary built from changed code
// never reuses the runs of another. If the executable cannot be read, the start time is added
// instead, and nothing is reused.
func keyVersion(v string) string {
	if v != "dev" && !strings.HasSuffix(v, "+dirty") {
		return v
	}
	if sum, err := executableSum(); err == nil {
		return v + "+exe." + sum
	}
	return v + "+start." + strconv.FormatInt(time.Now().UnixNano(), 36)
}

// executableSum returns the first 12 hex digits of the running executable's SHA-256.
func executableSum() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// versionLine is the one line both `stretchsim version` and `stretchsim --version` print.
func versionLine(v string) string {
	return fmt.Sprintf("stretchsim %s (%s %s/%s)", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

type versionOptions struct {
	Version string
}

func newCmdVersion(opts *versionOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the stretchsim version and the Go version it was built with",
		Example: "  stretchsim version",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), versionLine(opts.Version))
			return err
		},
	}
}
