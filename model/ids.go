package model

import (
	"strconv"

	"github.com/stretchsim/stretchsim/model/net"
)

// BrokerID is a Kafka node.id of a broker. Broker ids in a scenario are 1..N, assigned site by
// site in file order; the placement functions accept any non-negative id, 0 included, as Kafka does.
type BrokerID int32

// String returns the decimal id, as Kafka prints it.
func (b BrokerID) String() string { return strconv.Itoa(int(b)) }

// SiteID is the index of a site in scenario file order, starting at 0 (net.SiteID).
type SiteID = net.SiteID

// PartitionID is a partition number within a topic, starting at 0.
type PartitionID int32

// String returns the decimal partition number.
func (p PartitionID) String() string { return strconv.Itoa(int(p)) }
