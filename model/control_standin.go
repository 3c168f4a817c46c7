package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// controlPlane is what brokers ask of the controller. The KRaft quorum implements it; until it
// lands, standInController does.
type controlPlane interface {
	// AlterPartition proposes newISR for the partition r leads (reference §4.5). The answer
	// comes back through r.onAlterCommitted.
	AlterPartition(s *sim.Sim, r *Replica, newISR replicaSet)
}

// standInController commits AlterPartition requests after a fixed delay: the round trip from the
// leader to the controller's site, the append linger and one quorum round trip. It stands in for
// the KRaft controller until that is modelled; it has no failures and no elections.
type standInController struct {
	c     *Cluster
	delay []time.Duration // per broker index
}

func newStandInController(c *Cluster, spec *ClusterSpec) *standInController {
	sc := &standInController{c: c, delay: make([]time.Duration, len(c.brokers))}
	ctrlSite := SiteID(0)
	if len(c.topo.Controllers) > 0 {
		ctrlSite = c.topo.Controllers[0].Site
	}
	quorum := time.Duration(0)
	for _, ct := range c.topo.Controllers[min(1, len(c.topo.Controllers)):] {
		d := c.medianRTT(spec, ctrlSite, ct.Site)
		if quorum == 0 || d < quorum {
			quorum = d
		}
	}
	for i, b := range c.brokers {
		sc.delay[i] = c.medianRTT(spec, b.Site, ctrlSite) + spec.Controller.AppendLinger + quorum
	}
	return sc
}

type alterCommit struct {
	r     *Replica
	isr   replicaSet
	epoch int32
}

// AlterPartition schedules the commit.
func (sc *standInController) AlterPartition(s *sim.Sim, r *Replica, newISR replicaSet) {
	d := sc.delay[sc.c.brokerIndex(r.broker.ID)]
	s.After(d, sim.Event{H: sc, Data: &alterCommit{r: r, isr: newISR, epoch: r.partitionEpoch}})
}

// Handle commits an AlterPartition if the partition epoch still matches (else
// INVALID_UPDATE_VERSION) and answers the leader.
func (sc *standInController) Handle(s *sim.Sim, ev *sim.Event) {
	a := ev.Data.(*alterCommit)
	p := a.r.p
	if p.meta.PartitionEpoch != a.epoch || p.meta.Leader != a.r.pos {
		a.r.onAlterCommitted(s, 0, 0, false)
		return
	}
	sc.c.commitISR(s, p, a.isr)
	a.r.onAlterCommitted(s, a.isr, p.meta.PartitionEpoch, true)
}
