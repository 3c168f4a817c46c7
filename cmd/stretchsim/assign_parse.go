package main

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/stretchsim/stretchsim/model/placement"
)

// Output formats accepted by --format.
const (
	formatText = "text"
	formatJSON = "json"
)

// maxPartitions guards against a typo allocating gigabytes; it is far above what a Kafka
// cluster runs.
const maxPartitions = 1_000_000

// assignRequest is a validated assign invocation, ready for the placer.
type assignRequest struct {
	placer     string
	brokers    []placement.Broker // sorted by id, as Kafka's callers pass them
	partitions int
	rf         int
	legacy     placement.LegacyOptions // -1 for a start index or shift to draw
	seed       int64
	format     string
}

// request validates the options. Every error it returns is a usage error. Values that Kafka
// itself rejects (zero partitions, a replication factor above the broker count, a broker listed
// twice, brokers with and without a site under legacy) pass through to the placer, which answers
// with Kafka's own error.
func (o *assignOptions) request() (*assignRequest, error) {
	if err := o.checkFlags(); err != nil {
		return nil, err
	}
	brokers, err := parseBrokers(o.Brokers)
	if err != nil {
		return nil, err
	}
	if err := markFenced(brokers, o.Fenced); err != nil {
		return nil, err
	}
	req := &assignRequest{
		placer:     o.Placer,
		brokers:    brokers,
		partitions: o.Partitions,
		rf:         o.ReplicationFactor,
		legacy:     placement.LegacyOptions{StartIndex: -1, Shift: -1, StartPartition: o.StartPartition},
		seed:       o.Seed,
		format:     o.Format,
	}
	if o.StartIndexSet {
		req.legacy.StartIndex = o.StartIndex
	}
	if o.ShiftSet {
		req.legacy.Shift = o.Shift
	}
	return req, nil
}

// checkFlags checks presence, enumerations, ranges and which flags go with which placer.
func (o *assignOptions) checkFlags() error {
	switch {
	case o.Brokers == "":
		return usageErrorf("required flag --brokers not set")
	case !o.PartitionsSet:
		return usageErrorf("required flag --partitions not set")
	case !o.ReplicationFactorSet:
		return usageErrorf("required flag --replication-factor not set")
	case o.Format != formatText && o.Format != formatJSON:
		return usageErrorf("--format %q: must be text or json", o.Format)
	case o.Partitions > maxPartitions:
		return usageErrorf("--partitions %d: more than the limit of %d", o.Partitions, maxPartitions)
	}
	switch o.Placer {
	case placerLegacy:
		return o.checkLegacyFlags()
	case placerStriped:
		return o.checkStripedFlags()
	default:
		return usageErrorf("--placer %q: must be striped or legacy", o.Placer)
	}
}

func (o *assignOptions) checkLegacyFlags() error {
	if o.FencedSet {
		return usageErrorf("--fenced applies to --placer striped only (legacy placement ignores fencing)")
	}
	for _, f := range []struct {
		name  string
		value int
	}{{"start-index", o.StartIndex}, {"shift", o.Shift}, {"start-partition", o.StartPartition}} {
		if f.value < 0 || f.value > math.MaxInt32 {
			return usageErrorf("--%s %d: must be from 0 to %d", f.name, f.value, math.MaxInt32)
		}
	}
	if last := int64(o.StartPartition) + int64(o.Partitions) - 1; last > math.MaxInt32 {
		return usageErrorf("--start-partition %d: partition numbers would pass %d", o.StartPartition, math.MaxInt32)
	}
	return nil
}

func (o *assignOptions) checkStripedFlags() error {
	for _, f := range []struct {
		name string
		set  bool
	}{{"start-index", o.StartIndexSet}, {"shift", o.ShiftSet}, {"start-partition", o.StartPartitionSet}} {
		if f.set {
			return usageErrorf("--%s applies to --placer legacy only", f.name)
		}
	}
	return nil
}

// parseBrokers parses --brokers ("1:dc-a,2:dc-a,3" ...) and returns the brokers sorted by id,
// as Kafka's callers pass them. Rejecting an id listed twice is the placer's job; such a list is
// returned in the order given, so that the positions the placer's error names are the user's.
func parseBrokers(list string) ([]placement.Broker, error) {
	tokens := strings.Split(list, ",")
	brokers := make([]placement.Broker, 0, len(tokens))
	for _, tok := range tokens {
		b, err := parseBroker(strings.TrimSpace(tok))
		if err != nil {
			return nil, usageErrorf("--brokers: %q: %w", tok, err)
		}
		brokers = append(brokers, b)
	}
	sorted := slices.SortedFunc(slices.Values(brokers), func(a, b placement.Broker) int { return cmp.Compare(a.ID, b.ID) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].ID == sorted[i-1].ID {
			return brokers, nil
		}
	}
	return sorted, nil
}

// parseBroker parses one "id" or "id:site" entry.
func parseBroker(tok string) (placement.Broker, error) {
	idText, site, hasSite := strings.Cut(tok, ":")
	id, err := parseBrokerID(idText)
	if err != nil {
		return placement.Broker{}, err
	}
	if hasSite && site == "" {
		return placement.Broker{}, errors.New("empty site after ':'")
	}
	if strings.ContainsFunc(site, func(r rune) bool { return r == ':' || unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return placement.Broker{}, fmt.Errorf("site %q contains ':', a space or a control character", site)
	}
	return placement.Broker{ID: id, Rack: site}, nil
}

// parseBrokerID parses a broker id: decimal digits, 0 to MaxInt32 (Kafka's int node.id).
func parseBrokerID(s string) (placement.BrokerID, error) {
	if s == "" {
		return 0, errors.New("missing broker id")
	}
	if strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("broker id %q is not a non-negative integer", s)
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("broker id %q is above %d", s, math.MaxInt32)
	}
	return placement.BrokerID(n), nil
}

// markFenced parses --fenced and sets Fenced on the listed brokers, which must all be in brokers.
func markFenced(brokers []placement.Broker, list string) error {
	if strings.TrimSpace(list) == "" {
		return nil
	}
	for _, tok := range strings.Split(list, ",") {
		id, err := parseBrokerID(strings.TrimSpace(tok))
		if err != nil {
			return usageErrorf("--fenced: %q: %w", tok, err)
		}
		found := false
		for i := range brokers {
			if brokers[i].ID == id {
				brokers[i].Fenced, found = true, true
			}
		}
		if !found {
			return usageErrorf("--fenced: broker %d is not in --brokers", id)
		}
	}
	return nil
}
