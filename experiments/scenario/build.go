package scenario

import (
	"slices"
	"time"

	"github.com/stretchsim/stretchsim/model"
)

// Spec validates s and translates it into the model's ClusterSpec:
//
//   - sites keep file order, so site i is model.SiteID(i); a broker's broker.rack is its site's
//     name unless the site lists racks (model.NewTopology);
//   - links name their sites by id; network.intra_site.rtt defaults to DefaultIntraSiteRTT;
//   - topics keep their replica_assignment, or leave Assignment nil for the model to place them
//     with the topic's placement;
//   - each producer becomes Count specs in file order, named by InstanceNames, with Arrivals
//     left nil: the caller builds them from the Producer's workload fields (package workloads),
//     giving each instance its own stream;
//   - a consumer's stop at or after the end of the run is no stop (0);
//   - Seed and Duration stay on the Scenario: they belong to the run, not to the cluster.
//
// The spec shares no memory with s.
func (s *Scenario) Spec() (model.ClusterSpec, error) {
	if err := s.Validate(); err != nil {
		return model.ClusterSpec{}, err
	}
	ids := make(map[string]model.SiteID, len(s.Sites))
	spec := model.ClusterSpec{
		Broker: s.Broker, Controller: s.Controller, Hardware: s.Hardware,
		MetricsInterval: s.MetricsInterval, Warmup: s.Warmup,
	}
	for i, site := range s.Sites {
		ids[site.Name] = model.SiteID(i)
		site.Racks = slices.Clone(site.Racks)
		spec.Sites = append(spec.Sites, site)
	}
	spec.Network = model.NetworkSpec{IntraSite: cloneLink(s.Network.IntraSite), InterSite: cloneLink(s.Network.InterSite)}
	if !spec.Network.IntraSite.HasRTT {
		spec.Network.IntraSite.RTT, spec.Network.IntraSite.HasRTT = model.Constant(DefaultIntraSiteRTT), true
	}
	for _, l := range s.Network.Links {
		spec.Network.Links = append(spec.Network.Links, model.PairLinkSpec{
			A: ids[l.Between[0]], B: ids[l.Between[1]], LinkSpec: cloneLink(l.LinkSpec),
		})
	}
	for _, t := range s.Topics {
		spec.Topics = append(spec.Topics, cloneTopic(t))
	}
	for _, p := range s.Producers {
		for _, name := range InstanceNames(p.Name, p.Count) {
			spec.Producers = append(spec.Producers, model.ProducerSpec{
				Name: name, Site: ids[p.Site], Topic: p.Topic, Config: p.Config,
				CompressionRatio: p.CompressionRatio.Ratios,
			})
		}
	}
	for _, f := range s.Faults {
		spec.Faults = append(spec.Faults, f.modelFault())
	}
	for _, c := range s.Consumers {
		cs := model.ConsumerSpec{Name: c.Name, Site: ids[c.Site], Topic: c.Topic, Start: c.Start, Config: c.Config}
		if c.Stops(s.Duration) {
			cs.Stop = c.Stop
		}
		spec.Consumers = append(spec.Consumers, cs)
	}
	return spec, nil
}

func cloneLink(l model.LinkSpec) model.LinkSpec {
	l.RTT.Samples = slices.Clone(l.RTT.Samples)
	return l
}

func cloneTopic(t model.TopicSpec) model.TopicSpec {
	if t.Assignment != nil {
		a := make([][]model.BrokerID, len(t.Assignment))
		for i, r := range t.Assignment {
			a[i] = slices.Clone(r)
		}
		t.Assignment = a
	}
	if t.Config.MinInsyncReplicas != nil {
		v := *t.Config.MinInsyncReplicas
		t.Config.MinInsyncReplicas = &v
	}
	if t.Config.UncleanLeaderElectionEnable != nil {
		v := *t.Config.UncleanLeaderElectionEnable
		t.Config.UncleanLeaderElectionEnable = &v
	}
	if t.Config.CompressionLevels != nil {
		v := *t.Config.CompressionLevels
		t.Config.CompressionLevels = &v
	}
	return t
}

// DefaultIntraSiteRTT is the round trip between two nodes of one site when network.intra_site.rtt
// is not given: a data-centre network. The inter-site RTT has no default: a multi-site scenario
// must give it.
const DefaultIntraSiteRTT = 200 * time.Microsecond
