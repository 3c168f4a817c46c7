package scenario

import (
	"slices"

	"github.com/stretchsim/stretchsim/model/conf"
)

// closestName is conf.ClosestName: one "did you mean" rule for Kafka property names and
// scenario keys alike.
func closestName(name string, candidates []string) (string, bool) {
	return conf.ClosestName(name, candidates)
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
