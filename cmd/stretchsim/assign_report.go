package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/stretchsim/stretchsim/model/placement"
)

// assignReport is everything `stretchsim assign` prints, in the order and with the JSON keys of
// --format json. Slices are never nil, so JSON shows [] rather than null.
type assignReport struct {
	Assignments       []assignmentReport `json:"assignments"`
	Placer            string             `json:"placer"`
	Seed              int64              `json:"seed"`
	RandomDraws       int                `json:"random_draws"` // NextInt calls on java.util.Random(seed)
	Legacy            *legacyReport      `json:"legacy,omitempty"`
	Partitions        int                `json:"partitions"`
	ReplicationFactor int                `json:"replication_factor"`
	// SiteAware is false when no broker has a site; SiteSpread and SingleSite are empty then.
	SiteAware  bool           `json:"site_aware"`
	Brokers    []brokerReport `json:"brokers"`
	Sites      []siteReport   `json:"sites"`
	SiteSpread []spreadReport `json:"site_spread"`
	// SingleSite lists the partitions whose replicas all sit in one site.
	SingleSite []singleSiteReport `json:"single_site_partitions"`

	draws []draw // the recorded draws, for the text format
}

type assignmentReport struct {
	Partition int                  `json:"partition"`
	Replicas  []placement.BrokerID `json:"replicas"` // preferred leader first
}

// legacyReport gives the start index and shift that were used and whether each was drawn.
type legacyReport struct {
	StartIndex      int  `json:"start_index"`
	StartIndexDrawn bool `json:"start_index_drawn"`
	Shift           int  `json:"shift"`
	ShiftDrawn      bool `json:"shift_drawn"`
	StartPartition  int  `json:"start_partition"`
}

// brokerReport counts one broker's replicas and (preferred) leaderships. Site is null for a broker
// without a site.
type brokerReport struct {
	ID       placement.BrokerID `json:"id"`
	Site     *string            `json:"site"`
	Fenced   bool               `json:"fenced"`
	Replicas int                `json:"replicas"`
	Leaders  int                `json:"leaders"`
}

// siteReport totals one site; Site is null for the brokers without a site.
type siteReport struct {
	Site     *string `json:"site"`
	Brokers  int     `json:"brokers"`
	Replicas int     `json:"replicas"`
	Leaders  int     `json:"leaders"`
}

// spreadReport: Partitions partitions have replicas in exactly Sites sites.
type spreadReport struct {
	Sites      int `json:"sites"`
	Partitions int `json:"partitions"`
}

type singleSiteReport struct {
	Partition int     `json:"partition"`
	Site      *string `json:"site"`
}

// newAssignReport summarises a placement. It fails only if the placer returned a broker that is
// not in the request, which would be a placer bug.
func newAssignReport(req *assignRequest, res *outcome) (*assignReport, error) {
	rep := &assignReport{
		Assignments:       make([]assignmentReport, 0, len(res.replicas)),
		Placer:            req.placer,
		Seed:              req.seed,
		RandomDraws:       res.drawCount,
		Partitions:        req.partitions,
		ReplicationFactor: req.rf,
		SiteSpread:        []spreadReport{},
		SingleSite:        []singleSiteReport{},
		draws:             res.draws,
	}
	if req.placer == placerLegacy {
		rep.Legacy = newLegacyReport(req.legacy, res.draws)
	}
	for i, replicas := range res.replicas {
		rep.Assignments = append(rep.Assignments, assignmentReport{Partition: res.firstPartition + i, Replicas: replicas})
	}
	if err := rep.countBrokers(req.brokers); err != nil {
		return nil, err
	}
	rep.countSites()
	rep.countSpread()
	return rep, nil
}

// newLegacyReport resolves the start index and shift. The placer draws an unset start index
// first and an unset shift second (after the start index, if that is drawn too), so a drawn start
// index is the first draw and a drawn shift the last.
func newLegacyReport(opts placement.LegacyOptions, draws []draw) *legacyReport {
	lr := &legacyReport{StartIndex: opts.StartIndex, Shift: opts.Shift, StartPartition: max(0, opts.StartPartition)}
	if opts.StartIndex < 0 && len(draws) > 0 {
		lr.StartIndex, lr.StartIndexDrawn = draws[0].Value, true
	}
	if opts.Shift < 0 && len(draws) > 0 {
		lr.Shift, lr.ShiftDrawn = draws[len(draws)-1].Value, true
	}
	return lr
}

// countBrokers fills Brokers (in id order) and SiteAware.
func (r *assignReport) countBrokers(brokers []placement.Broker) error {
	index := make(map[placement.BrokerID]int, len(brokers))
	r.Brokers = make([]brokerReport, len(brokers))
	for i, b := range brokers {
		index[b.ID] = i
		r.Brokers[i] = brokerReport{ID: b.ID, Site: siteOf(b.Rack), Fenced: b.Fenced}
		r.SiteAware = r.SiteAware || b.Rack != ""
	}
	for _, a := range r.Assignments {
		for j, id := range a.Replicas {
			i, ok := index[id]
			if !ok {
				return fmt.Errorf("%s placement: partition %d: broker %d is not in --brokers", r.Placer, a.Partition, id)
			}
			r.Brokers[i].Replicas++
			if j == 0 {
				r.Brokers[i].Leaders++
			}
		}
	}
	return nil
}

// countSites fills Sites from Brokers, in Kafka's rack order: no site first, then by name.
func (r *assignReport) countSites() {
	r.Sites = []siteReport{}
	for _, b := range r.Brokers {
		k, found := slices.BinarySearchFunc(r.Sites, b.Site, func(s siteReport, site *string) int {
			return compareSites(s.Site, site)
		})
		if !found {
			r.Sites = slices.Insert(r.Sites, k, siteReport{Site: b.Site})
		}
		r.Sites[k].Brokers++
		r.Sites[k].Replicas += b.Replicas
		r.Sites[k].Leaders += b.Leaders
	}
}

// countSpread fills SiteSpread and SingleSite; it needs SiteAware and Brokers.
func (r *assignReport) countSpread() {
	if !r.SiteAware {
		return
	}
	site := make(map[placement.BrokerID]*string, len(r.Brokers))
	for _, b := range r.Brokers {
		site[b.ID] = b.Site
	}
	histogram := map[int]int{}
	for _, a := range r.Assignments {
		var sites []*string
		for _, id := range a.Replicas {
			if !slices.ContainsFunc(sites, func(s *string) bool { return compareSites(s, site[id]) == 0 }) {
				sites = append(sites, site[id])
			}
		}
		histogram[len(sites)]++
		if len(sites) == 1 {
			r.SingleSite = append(r.SingleSite, singleSiteReport{Partition: a.Partition, Site: sites[0]})
		}
	}
	for _, n := range slices.Sorted(maps.Keys(histogram)) {
		r.SiteSpread = append(r.SiteSpread, spreadReport{Sites: n, Partitions: histogram[n]})
	}
}

// siteOf returns nil for "" (no broker.rack), else a pointer to a copy of rack.
func siteOf(rack string) *string {
	if rack == "" {
		return nil
	}
	return &rack
}

// compareSites orders no site (nil) first, then by name.
func compareSites(a, b *string) int {
	switch {
	case a == nil || b == nil:
		return cmp.Compare(boolInt(a != nil), boolInt(b != nil))
	default:
		return cmp.Compare(*a, *b)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
