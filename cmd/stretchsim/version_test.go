package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildVersion(t *testing.T) {
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	clean := debug.BuildSetting{Key: "vcs.modified", Value: "false"}
	dirty := debug.BuildSetting{Key: "vcs.modified", Value: "true"}
	for _, tt := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "dev"},
		{"nothing recorded", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"module version", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{rev}}, "v1.2.3"},
		{"pseudo-version", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260101000000-0123456789ab+dirty"}}, "v0.0.0-20260101000000-0123456789ab+dirty"},
		{"clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{rev, clean}}, "0123456789ab"},
		{"dirty checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{dirty, rev}}, "0123456789ab+dirty"},
		{"short revision", &debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}}, "abc"},
	} {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, buildVersion(tt.info)) })
	}
}

// TestKeyVersionNamesTheCode checks what sweep runs are keyed with: a version that names the
// code is kept; "dev" and a dirty revision get the executable's own hash, so that a binary
// built from changed code does not reuse another's runs.
func TestKeyVersionNamesTheCode(t *testing.T) {
	assert.Equal(t, "v1.2.3", keyVersion("v1.2.3"))
	assert.Equal(t, "0123456789ab", keyVersion("0123456789ab"))
	exe, err := os.Executable()
	require.NoError(t, err)
	b, err := os.ReadFile(exe)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	want := hex.EncodeToString(sum[:])[:12]
	assert.Equal(t, "dev+exe."+want, keyVersion("dev"))
	assert.Equal(t, "0123456789ab+dirty+exe."+want, keyVersion("0123456789ab+dirty"))
}
