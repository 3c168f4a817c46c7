package scenario

import (
	"slices"

	"github.com/stretchsim/stretchsim/model"
)

// closestName is model.ClosestName: one "did you mean" rule for Kafka property names and
// scenario keys alike.
func closestName(name string, candidates []string) (string, bool) {
	return model.ClosestName(name, candidates)
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
