package experiments

import (
	"fmt"
	"strings"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
)

// describeScenario says in one paragraph what a scenario simulates: sites, brokers and
// controllers, RTTs, topics with replication factor and min ISR, producers with load and acks,
// consumers, faults, duration and warm-up.
func describeScenario(sc *scenario.Scenario) string {
	var parts []string
	var sites []string
	for _, s := range sc.Sites {
		if s.Brokers == 0 && s.Controllers == 0 {
			sites = append(sites, s.Name+" (clients only)")
			continue
		}
		sites = append(sites, fmt.Sprintf("%s (%s, %s)", s.Name, countText(s.Brokers, "broker", "brokers"),
			countText(s.Controllers, "controller", "controllers")))
	}
	parts = append(parts, fmt.Sprintf("%s: %s.", countText(len(sc.Sites), "site", "sites"), strings.Join(sites, ", ")))
	net := fmt.Sprintf("Round trips: %s between sites, %s within a site", sc.Network.InterSite.RTT, sc.Network.IntraSite.RTT)
	for _, l := range sc.Network.Links {
		if l.HasRTT {
			net += fmt.Sprintf(", %s between %s and %s", l.RTT, l.Between[0], l.Between[1])
		}
	}
	parts = append(parts, net+".")
	for _, t := range sc.Topics {
		minISR := sc.Broker.MinInsyncReplicas
		if t.Config.MinInsyncReplicas != nil {
			minISR = *t.Config.MinInsyncReplicas
		}
		parts = append(parts, fmt.Sprintf("Topic %s: %d partitions, replication factor %d, min.insync.replicas %d.",
			t.Name, t.Partitions, t.ReplicationFactor, minISR))
	}
	for _, p := range sc.Producers {
		n := ""
		if p.Count > 1 {
			n = fmt.Sprintf("%d × ", p.Count)
		}
		if p.Profile != nil {
			parts = append(parts, fmt.Sprintf("Producer %s in %s: %s%s records to %s, rate %s, acks=%s%s.",
				p.Name, p.Site, n, sizeText(p.RecordSize), p.Topic, p.Profile.Describe(), p.Config.Acks, compressionText(p)))
			continue
		}
		parts = append(parts, fmt.Sprintf("Producer %s in %s: %s%s of %s records to %s, acks=%s%s.",
			p.Name, p.Site, n, p.Rate, sizeText(p.RecordSize), p.Topic, p.Config.Acks, compressionText(p)))
	}
	for _, c := range sc.Consumers {
		parts = append(parts, consumerText(sc, c))
	}
	if len(sc.Faults) > 0 {
		var fs []string
		for _, f := range sc.Faults {
			fs = append(fs, faultText(f))
		}
		parts = append(parts, fmt.Sprintf("Faults: %s.", strings.Join(fs, "; ")))
	} else {
		parts = append(parts, "No faults.")
	}
	parts = append(parts, fmt.Sprintf("%s simulated, the first %s a warm-up left out of the figures; seed %d.",
		durText(sc.Duration), durText(sc.Warmup), sc.Seed))
	return strings.Join(parts, " ")
}

// sizeText is a size with its unit: Bytes prints a plain integer for a count of bytes that is
// not a whole number of KiB.
func sizeText(b model.Bytes) string {
	s := b.String()
	if s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9' {
		s += " B"
	}
	return s
}

// compressionText is ", compressed with CODEC (ratio R)" for a producer that compresses.
func compressionText(p scenario.Producer) string {
	codec := p.Config.CompressionType
	if codec == model.CodecNone {
		return ""
	}
	return fmt.Sprintf(", compressed with %s (ratio %g)", codec, p.CompressionRatio.Ratios[codec])
}

// consumerText says where a consumer reads, in which group, and when it runs.
func consumerText(sc *scenario.Scenario, c scenario.Consumer) string {
	s := fmt.Sprintf("Consumer %s in %s reads %s", c.Name, c.Site, c.Topic)
	if g := c.Group(); g != c.Name {
		s += " in group " + g
	}
	switch {
	case c.HasStop && c.Stop < sc.Duration && c.Start > 0:
		s += fmt.Sprintf(" from %s to %s", durText(c.Start), durText(c.Stop))
	case c.HasStop && c.Stop < sc.Duration:
		s += " until " + durText(c.Stop)
	case c.Start > 0:
		s += " from " + durText(c.Start)
	}
	return s + "."
}

// faultText is a fault with its time: "broker-crash 4 (hard) at 30s for 40s".
func faultText(f scenario.Fault) string {
	s := faultLabel(f) + " at " + durText(f.At)
	if f.Duration > 0 {
		s += " for " + durText(f.Duration)
	}
	return s
}

// countText is "1 site", "3 sites".
func countText(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(int64(n), one, many))
}
