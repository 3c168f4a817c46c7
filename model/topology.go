package model

import (
	"errors"
	"fmt"

	"github.com/stretchsim/stretchsim/model/placement"
)

// FirstControllerID is the node.id of the first KRaft controller. Controllers are numbered
// FirstControllerID, FirstControllerID+1, ... site by site in spec order, apart from the broker
// ids 1..N, because Kafka requires node.id to be unique across all the nodes of a cluster.
const FirstControllerID = 1000

// SiteSpec describes one site (data centre, availability zone) of a stretch cluster.
type SiteSpec struct {
	// Name identifies the site; it must be non-empty and unique.
	Name string
	// Brokers is the number of brokers at the site, >= 0. A site with none can still hold
	// controllers (a tie-breaker site), or nothing of the cluster: a client-only site, where
	// producers and consumers run. A site without brokers gets no broker id and is no rack.
	Brokers int
	// Controllers is the number of KRaft controllers at the site, >= 0.
	Controllers int
	// Racks are the broker.rack values of the site's brokers, assigned round-robin: the site's
	// i-th broker gets Racks[i % len(Racks)]. Empty means every broker's rack is the site name.
	// Rack names must be non-empty and may not appear in two sites.
	Racks []string
}

// Site is a site of a Topology.
type Site struct {
	ID          SiteID
	Name        string
	Brokers     []BrokerID // ascending
	Controllers []int32    // ascending node ids
}

// BrokerInfo is a broker of a Topology: where it is, not what it does.
type BrokerInfo struct {
	ID   BrokerID
	Site SiteID
	// Rack is the broker's broker.rack, never "".
	Rack string
}

// ControllerInfo is a KRaft controller of a Topology.
type ControllerInfo struct {
	ID   int32 // node.id, from FirstControllerID up
	Site SiteID
}

// Topology is the sites, brokers and controllers of a cluster.
type Topology struct {
	Sites []Site // indexed by SiteID
	// Brokers is indexed by id-1. Invariant: Brokers[i].ID == BrokerID(i+1).
	Brokers     []BrokerInfo
	Controllers []ControllerInfo // ascending ids
}

// NewTopology builds the topology of specs: broker ids 1..N are assigned site by site in spec
// order, and controller ids from FirstControllerID the same way. It reports every problem of the
// specs at once: empty or repeated site names, negative counts, empty or shared rack names, no
// broker at all, or so many brokers that their ids would reach FirstControllerID.
func NewTopology(specs []SiteSpec) (*Topology, error) {
	if err := validateSiteSpecs(specs); err != nil {
		return nil, err
	}
	t := &Topology{}
	for i, s := range specs {
		site := Site{ID: SiteID(i), Name: s.Name}
		for j := range s.Brokers {
			id := BrokerID(len(t.Brokers) + 1)
			rack := s.Name
			if len(s.Racks) > 0 {
				rack = s.Racks[j%len(s.Racks)]
			}
			t.Brokers = append(t.Brokers, BrokerInfo{ID: id, Site: site.ID, Rack: rack})
			site.Brokers = append(site.Brokers, id)
		}
		for range s.Controllers {
			id := int32(FirstControllerID + len(t.Controllers))
			t.Controllers = append(t.Controllers, ControllerInfo{ID: id, Site: site.ID})
			site.Controllers = append(site.Controllers, id)
		}
		t.Sites = append(t.Sites, site)
	}
	return t, nil
}

func validateSiteSpecs(specs []SiteSpec) error {
	var errs []error
	siteByName := make(map[string]int)
	siteByRack := make(map[string]int)
	total := 0
	for i, s := range specs {
		if s.Name == "" {
			errs = append(errs, fmt.Errorf("sites[%d]: name is empty", i))
		} else if j, dup := siteByName[s.Name]; dup {
			errs = append(errs, fmt.Errorf("sites[%d]: name %q is already sites[%d]", i, s.Name, j))
		} else {
			siteByName[s.Name] = i
		}
		if s.Brokers < 0 {
			errs = append(errs, fmt.Errorf("sites[%d]: brokers: %d is negative", i, s.Brokers))
		} else {
			total += s.Brokers
		}
		if s.Controllers < 0 {
			errs = append(errs, fmt.Errorf("sites[%d]: controllers: %d is negative", i, s.Controllers))
		}
		errs = append(errs, validateSiteRacks(i, s, siteByRack)...)
	}
	if total == 0 {
		errs = append(errs, errors.New("topology: no site has a broker"))
	} else if total >= FirstControllerID {
		errs = append(errs, fmt.Errorf("topology: %d brokers: ids must stay below the first controller id %d", total, FirstControllerID))
	}
	return errors.Join(errs...)
}

// validateSiteRacks checks the racks of site i, the site name standing for them when Racks is
// empty, against the racks of the sites before it, recorded in siteByRack.
func validateSiteRacks(i int, s SiteSpec, siteByRack map[string]int) []error {
	var errs []error
	if len(s.Racks) == 0 {
		if j, used := siteByRack[s.Name]; used && s.Name != "" && s.Brokers > 0 {
			errs = append(errs, fmt.Errorf("sites[%d]: rack %q (the site name) is also a rack of sites[%d]", i, s.Name, j))
		} else if s.Brokers > 0 {
			siteByRack[s.Name] = i
		}
		return errs
	}
	for k, r := range s.Racks {
		if r == "" {
			errs = append(errs, fmt.Errorf("sites[%d]: racks[%d] is empty", i, k))
		} else if j, used := siteByRack[r]; used && j != i {
			errs = append(errs, fmt.Errorf("sites[%d]: racks[%d]: rack %q is also a rack of sites[%d]", i, k, r, j))
		} else {
			siteByRack[r] = i
		}
	}
	return errs
}

// PlacementBrokers returns every broker as the placers take it, sorted by id (the order Kafka's
// legacy callers pass), all unfenced.
func (t *Topology) PlacementBrokers() []placement.Broker {
	out := make([]placement.Broker, len(t.Brokers))
	for i, b := range t.Brokers {
		out[i] = placement.Broker{ID: placement.BrokerID(b.ID), Rack: b.Rack}
	}
	return out
}

// SiteOf returns the site of broker id, and false if the topology has no such broker.
func (t *Topology) SiteOf(id BrokerID) (SiteID, bool) {
	if id < 1 || int(id) > len(t.Brokers) {
		return 0, false
	}
	return t.Brokers[id-1].Site, true
}
