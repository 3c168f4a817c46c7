package experiments

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
)

// bufferCandidates: a tcp-window limit binds (Summary.Limits), or the baseline is saturated
// while a link's bandwidth-delay product exceeds the receive buffer a follower's socket gets
// (replica.socket.receive.buffer.bytes, cut to hardware.rmem_max): raise the replica fetcher's
// receive buffer and the leader's send buffer to the next power of two at or above the largest
// BDP, and the hosts' caps with them where they are below; and, when a limit names
// num.replica.fetchers, more fetchers.
func (r *DesignReview) bufferCandidates() []change {
	bdp, where := r.largestBDP()
	tcp := false
	fetchers := false
	for _, l := range r.Limits {
		tcp = tcp || l.Mechanism == "tcp-window"
		fetchers = fetchers || strings.Contains(l.Setting, "num.replica.fetchers")
	}
	saturated := r.Saturation != nil && r.Saturation.Saturated
	buf, send := r.sc.Broker.ReplicaSocketReceiveBuffer, r.sc.Broker.SocketSendBuffer
	fig := figP99
	if saturated {
		fig = figThroughput
	}
	var out []change
	// The replication window: the follower's receive buffer and the leader's send buffer, each
	// cut to its host's cap (net.BufferCaps).
	hw := r.sc.Hardware
	caps := model.BufferCaps{RmemMax: hw.RmemMax, WmemMax: hw.WmemMax}
	if win := caps.Window(send, buf); (tcp || saturated) && buf > 0 && bdp > float64(win) {
		v := max(nextPow2(int64(math.Ceil(bdp))), int64(buf), int64(send)) // a buffer big enough already stays
		vs := strconv.FormatInt(v, 10)
		sets := []Setting{{Path: "broker.replica.socket.receive.buffer.bytes", Value: vs},
			{Path: "broker.socket.send.buffer.bytes", Value: vs}}
		capSets, capWords := raiseCaps(hw, v, "rmem_max", "wmem_max")
		sets = append(sets, capSets...)
		value := bufferValue(vs, caps, bdp, capWords)
		var what string
		switch bySend, capped := caps.Binding(send, buf); {
		case bySend && capped:
			what = fmt.Sprintf("the leader's %d-byte socket.send.buffer.bytes, cut to the hosts' net.core.wmem_max of %d,", send, win)
		case bySend:
			what = fmt.Sprintf("the leader's %d-byte socket.send.buffer.bytes", send)
		case capped:
			what = fmt.Sprintf("the %d-byte replica.socket.receive.buffer.bytes, cut to the hosts' net.core.rmem_max of %d,", buf, win)
		default:
			what = fmt.Sprintf("the %d-byte replica.socket.receive.buffer.bytes", buf)
		}
		out = append(out, change{fig: fig, sets: sets,
			rec: Recommendation{Setting: "replica.socket.receive.buffer.bytes, socket.send.buffer.bytes", Value: value,
				Why: fmt.Sprintf("one replication connection carries at most window/RTT: %s is below the %s link's bandwidth-delay product of %.0f bytes",
					what, where, bdp), Figure: fig.name + " (baseline)"}})
	}
	if fetchers || (saturated && r.sc.Broker.NumReplicaFetchers < 4) {
		n := max(4, 2*r.sc.Broker.NumReplicaFetchers)
		out = append(out, change{fig: fig, sets: []Setting{{Path: "broker.num.replica.fetchers", Value: strconv.Itoa(n)}},
			rec: Recommendation{Setting: "num.replica.fetchers", Value: strconv.Itoa(n),
				Why: "each follower fetches from each leader broker over num.replica.fetchers connections; one connection binds", Figure: fig.name + " (baseline)"}})
	}
	return out
}

// largestBDP is the largest bandwidth-delay product (bytes) over the pairs of sites that both
// hold brokers, and its pair: replica fetcher connections join brokers only, so the link to a
// site without brokers (a tie-breaker, a client-only site) carries none.
func (r *DesignReview) largestBDP() (float64, string) {
	best, where := 0.0, ""
	for i, a := range r.sc.Sites {
		for _, b := range r.sc.Sites[i+1:] {
			if a.Brokers == 0 || b.Brokers == 0 {
				continue
			}
			l := pairLink(r.sc, a.Name, b.Name)
			if l.Bandwidth <= 0 || math.IsInf(float64(l.Bandwidth), 1) {
				continue
			}
			if v := float64(l.Bandwidth) / 8 * l.RTT.MedianValue().Seconds(); v > best {
				best, where = v, a.Name+"<->"+b.Name
			}
		}
	}
	return best, where
}

// pairLink is the link between sites a and b: the inter-site default with a links override.
func pairLink(sc *scenario.Scenario, a, b string) model.LinkSpec {
	l := sc.Network.InterSite
	for _, o := range sc.Network.Links {
		if (o.Between[0] == a && o.Between[1] == b) || (o.Between[0] == b && o.Between[1] == a) {
			if o.HasRTT {
				l.RTT, l.HasRTT = o.RTT, true
			}
			if o.Bandwidth != 0 {
				l.Bandwidth = o.Bandwidth
			}
		}
	}
	return l
}

func nextPow2(v int64) int64 {
	if v <= 1 {
		return 1
	}
	return 1 << bits.Len64(uint64(v-1))
}

// raiseCaps are the overrides that raise the named hosts' caps ("rmem_max", "wmem_max") where
// they are below v, and the caps raised: Linux cuts a buffer Kafka sets to net.core.rmem_max /
// wmem_max, so raising the Kafka setting alone would not widen the window. The scenario's caps
// are every host's.
func raiseCaps(hw model.HardwareSpec, v int64, keys ...string) ([]Setting, []Setting) {
	var sets, raised []Setting
	vs := strconv.FormatInt(v, 10)
	for _, k := range keys {
		c := hw.RmemMax
		if k == "wmem_max" {
			c = hw.WmemMax
		}
		if c > 0 && int64(c) < v {
			sets = append(sets, Setting{Path: "hardware." + k, Value: vs})
			raised = append(raised, Setting{Path: "net.core." + k, Value: vs})
		}
	}
	return sets, raised
}

// capsRaised says the caps raiseCaps raised, for a recommendation's value: "; with
// net.core.rmem_max and net.core.wmem_max at least 4194304 on the hosts".
func capsRaised(raised []Setting) string {
	var parts []string
	for i, c := range raised {
		if i+1 < len(raised) && raised[i+1].Value == c.Value {
			parts = append(parts, c.Path)
			continue
		}
		parts = append(parts, c.Path+" at least "+c.Value)
	}
	if len(parts) == 0 {
		return ""
	}
	return "; with " + strings.Join(parts, " and ") + " on the hosts"
}

// bufferValue is a recommended buffer size value, the caps raised with it, and OS autotuning
// (-1) as the alternative when the autotuned window holds need (the caps do not cut an
// autotuned buffer).
func bufferValue(value string, caps model.BufferCaps, need float64, raised []Setting) string {
	value += capsRaised(raised)
	if float64(caps.Window(-1, -1)) >= need {
		value += "; or -1 (OS autotuning, which the caps do not cut)"
	}
	return value
}
