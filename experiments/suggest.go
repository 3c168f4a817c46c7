package experiments

import (
	"slices"
	"strings"
)

// closestName returns the candidate nearest to name by edit distance when it is near enough to
// be a likely typo: at most a third of the name's length away (2 for short names). A candidate
// that contains the name, when the name has at least 4 bytes, also counts.
func closestName(name string, candidates []string) (string, bool) {
	best, bestD := "", -1
	for _, c := range slices.Sorted(slices.Values(candidates)) {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD >= 0 && bestD <= max(2, len(name)/3) {
		return best, true
	}
	for _, c := range slices.Sorted(slices.Values(candidates)) {
		if len(name) >= 4 && strings.Contains(c, name) {
			return c, true
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
