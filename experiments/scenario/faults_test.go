package scenario

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

// TestEveryFaultTypeReachesTheModel guards modelKinds and modelModes: each scenario fault type
// and crash mode names its own model kind, so none silently runs as another.
func TestEveryFaultTypeReachesTheModel(t *testing.T) {
	kinds := map[model.FaultKind]FaultType{}
	for _, ft := range faultTypes {
		k, ok := modelKinds[ft]
		require.True(t, ok, "fault type %q has no model kind", ft)
		prev, dup := kinds[k]
		require.False(t, dup, "fault types %q and %q map to the same model kind", prev, ft)
		kinds[k] = ft
	}
	modes := map[model.CrashMode]bool{}
	for _, m := range crashModes {
		mm, ok := modelModes[CrashMode(m)]
		require.True(t, ok, "crash mode %q has no model mode", m)
		require.False(t, modes[mm], "crash mode %q maps to a mode already used", m)
		modes[mm] = true
	}
}
