package experiments

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// SecondsPerMonth is the month cost figures scale to: 30 days.
const SecondsPerMonth = 30 * 24 * 3600

// RackAwareSelector is the replica.selector.class that lets consumers fetch from a follower in
// their rack (KIP-392).
const RackAwareSelector = "org.apache.kafka.common.replica.RackAwareReplicaSelector"

// Cost is the baseline's cross-site traffic scaled to a month and priced. Each byte that crosses
// sites is charged twice, PricePerGB out of the sending site and PricePerGB into the receiving
// one, as the clouds bill inter-zone traffic.
type Cost struct {
	PricePerGB float64    `json:"price_per_gb"`
	MonthlyUSD float64    `json:"monthly_usd"`
	Pairs      []PairCost `json:"pairs"`
	// MonthlyUSDWithFollowerFetching is the same with consumers reading from their own site's
	// replica (replica.selector.class RackAwareReplicaSelector and client.rack), measured by a
	// re-run when some consumer reads across sites; equal to MonthlyUSD when they already read
	// locally or none can (each runs in a site without brokers); nil without consumers.
	MonthlyUSDWithFollowerFetching *float64   `json:"monthly_usd_with_follower_fetching"`
	PairsWithFollowerFetching      []PairCost `json:"pairs_with_follower_fetching,omitempty"`
}

// PairCost is one unordered site pair's traffic, both directions, per month.
type PairCost struct {
	Pair       string  `json:"pair"` // "dc-a<->dc-b"
	GBPerMonth float64 `json:"gb_per_month"`
	MonthlyUSD float64 `json:"monthly_usd"`
}

// monthlyCost prices s's cross-site bytes.
func monthlyCost(s *Summary, price float64) (float64, []PairCost) {
	if s.MeasuredSeconds <= 0 {
		return 0, []PairCost{}
	}
	scale := SecondsPerMonth / s.MeasuredSeconds
	pairs := map[string]float64{}
	for k, b := range s.Network.CrossSiteBytes.Pairs {
		a, z, _ := strings.Cut(k, "->")
		if z < a {
			a, z = z, a
		}
		pairs[a+"<->"+z] += float64(b)
	}
	var out []PairCost
	total := 0.0
	for _, k := range slices.Sorted(mapKeys(pairs)) {
		gb := pairs[k] * scale / 1e9
		usd := gb * price * 2
		total += usd
		out = append(out, PairCost{Pair: k, GBPerMonth: gb, MonthlyUSD: usd})
	}
	if out == nil {
		out = []PairCost{}
	}
	return total, out
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// followerFetchingSets returns the overrides that make every consumer read from its own site
// (its rack: the site's first), or nil when they already do or none can. A consumer in a site
// without brokers has no replica there: RackAwareReplicaSelector would name the leader (KIP-392),
// so it is left as it is.
func followerFetchingSets(sc *scenario.Scenario) []Setting {
	var sets []Setting
	local := false
	for i, c := range sc.Consumers {
		if !siteHasBrokers(sc, c.Site) {
			continue
		}
		local = true
		if c.Config.ClientRack == "" {
			sets = append(sets, Setting{Path: fmt.Sprintf("consumers[%d].config.client.rack", i), Value: siteRack(sc, c.Site)})
		}
	}
	if !local {
		return nil
	}
	if sc.Broker.ReplicaSelectorClass == "" {
		sets = append([]Setting{{Path: "broker.replica.selector.class", Value: RackAwareSelector}}, sets...)
	}
	return sets
}

// siteHasBrokers reports whether the site called name holds a broker.
func siteHasBrokers(sc *scenario.Scenario, name string) bool {
	for _, s := range sc.Sites {
		if s.Name == name {
			return s.Brokers > 0
		}
	}
	return false
}

// siteRack is the broker.rack of a site's first broker.
func siteRack(sc *scenario.Scenario, site string) string {
	for _, s := range sc.Sites {
		if s.Name == site && len(s.Racks) > 0 {
			return s.Racks[0]
		}
	}
	return site
}

// cost prices the baseline and, when consumers read across sites, re-runs it with follower
// fetching on.
func (r *DesignReview) cost(ctx context.Context, opts ReviewOptions) (Cost, bool, error) {
	c := Cost{PricePerGB: opts.PricePerGB}
	c.MonthlyUSD, c.Pairs = monthlyCost(r.Baseline, opts.PricePerGB)
	if len(r.sc.Consumers) == 0 {
		return c, false, nil
	}
	sets := followerFetchingSets(r.sc)
	if len(sets) == 0 {
		v := c.MonthlyUSD
		c.MonthlyUSDWithFollowerFetching = &v
		return c, false, nil
	}
	s, _, interrupted, err := runReviewOne(ctx, r.base, "follower-fetching", sets, filepath.Join(opts.Dir, "follower-fetching"), opts)
	if err != nil || interrupted {
		return c, interrupted, err
	}
	v, pairs := monthlyCost(s, opts.PricePerGB)
	c.MonthlyUSDWithFollowerFetching, c.PairsWithFollowerFetching = &v, pairs
	r.ffSummary = s
	r.ffSets = sets
	return c, false, nil
}
