package net

import (
	"time"

	"github.com/stretchsim/stretchsim/model/units"
)

// LinkSpec describes the path between two sites (or within one). A zero field means "inherit".
type LinkSpec struct {
	RTT       DistSpec      // round-trip time; one way is half a draw
	HasRTT    bool          // RTT was given
	Jitter    time.Duration // extra one-way delay, uniform in [0, Jitter)
	Bandwidth units.BitRate // shared by all traffic crossing this ordered site pair; 0: unlimited
	Loss      float64       // packet loss probability in [0, 1)
}

// PairLinkSpec overrides the inter-site default for one pair of sites, both directions.
type PairLinkSpec struct {
	A, B SiteID
	LinkSpec
}

// NetworkSpec is the network of design §3: per-site-pair links and per-broker NICs.
type NetworkSpec struct {
	// IntraSite is the path between two nodes of one site. Its Bandwidth is each node's NIC
	// bandwidth (both directions, full duplex); its RTT is the intra-site round trip.
	IntraSite LinkSpec
	// InterSite is the default for every ordered pair of distinct sites.
	InterSite LinkSpec
	// Links override InterSite for named pairs (fields left zero inherit InterSite's).
	Links []PairLinkSpec
}
