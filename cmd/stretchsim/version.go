package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is the release version, set at link time with
// -ldflags "-X main.version=v1.2.3". When it is left at "dev", the main module version recorded
// by the go command (go install module@version) is used if there is one.
var version = "dev"

// resolveVersion returns the version to report: the link-time version if set, else the main
// module version from the build info, else "dev".
func resolveVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	return version
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
