package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

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
