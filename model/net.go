package model

import (
	"time"

	"github.com/stretchsim/stretchsim/model/net"
)

// The network the model runs on, and the latency distributions of its links, are package net's
// (the network of design §3: NICs, shared site links, TCP connections, outages). The model names
// them as before: a Broker is an Endpoint of a Network and sends on a Half.
type (
	// Network carries messages between nodes (net.Network).
	Network = net.Network
	// Half is one direction of a TCP connection (net.Half).
	Half = net.Half
	// NodeID indexes a network node (net.NodeID).
	NodeID = net.NodeID
	// DistSpec describes a distribution of durations, e.g. a round-trip time (net.DistSpec).
	DistSpec = net.DistSpec
	// DistKind names a family of latency distributions (net.DistKind).
	DistKind = net.DistKind
)

// Latency distribution families (net.DistKind).
const (
	DistConstant  = net.DistConstant
	DistNormal    = net.DistNormal
	DistLogNormal = net.DistLogNormal
	DistPareto    = net.DistPareto
	DistEmpirical = net.DistEmpirical
)

// MinParetoAlpha is the bound Pareto shapes must exceed (net.MinParetoAlpha).
const MinParetoAlpha = net.MinParetoAlpha

// Constant returns the distribution that is always d.
func Constant(d time.Duration) DistSpec { return net.Constant(d) }
