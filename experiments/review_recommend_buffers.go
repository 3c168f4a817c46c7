package experiments

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"

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
		value := bufferValue(v, caps, bdp) + capsRaised(capWords)
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

// clientBufferCandidates: a client's connections to the brokers are window-bound. A tcp-window
// limit binds on a connection direction from a producer's site (its send.buffer.bytes against
// the brokers' socket.receive.buffer.bytes) or into a consumer's site (the brokers'
// socket.send.buffer.bytes against its receive.buffer.bytes), and that window, each buffer cut
// to its host's cap, is below what the connection must hold in flight: the client's peak rate
// times the round trip to the farthest broker site, at most that link's bandwidth-delay
// product. A leader reads one request per connection at a time (§2.8a) and commits an acks=all
// request in about one round trip, so the next requests wait in the socket buffers meanwhile,
// and a producer connection moves at most one window per round trip. Raise the buffers below
// that need to the next power of two at or above it, and the hosts' caps with them.
func (r *DesignReview) clientBufferCandidates() []change {
	var out []change
	fig := figP99
	if r.Saturation != nil && r.Saturation.Saturated {
		fig = figThroughput
	}
	if c, ok := r.clientWindows("producer", fig); ok {
		out = append(out, c)
	}
	if c, ok := r.clientWindows("consumer", figConsumed); ok {
		out = append(out, c)
	}
	return out
}

// clientWindow is one window-bound client: its side's buffer setting, what it must hold in
// flight and over which pair of sites.
type clientWindow struct {
	name, path string // "checkout", "producers[checkout].config.send.buffer.bytes"
	buf        model.Bytes
	need       float64
	where      string
}

// connSides are the two ends of a kind of client's connections, in the direction the data goes:
// a producer sends to the brokers' receive buffers, a consumer receives from their send buffers.
type connSides struct {
	kind                 string // "producer" or "consumer"
	brokerKey, clientKey string
	brokerBuf            model.Bytes
	caps                 model.BufferCaps
}

func (c connSides) consumer() bool { return c.kind == "consumer" }

// broker and client are what each side's buffer setting gives its socket.
func (c connSides) broker() model.Bytes {
	if c.consumer() {
		return c.caps.Send(c.brokerBuf)
	}
	return c.caps.Recv(c.brokerBuf)
}

func (c connSides) client(buf model.Bytes) model.Bytes {
	if c.consumer() {
		return c.caps.Recv(buf)
	}
	return c.caps.Send(buf)
}

// sendRecv orders a broker and a client buffer as sender's and receiver's.
func (c connSides) sendRecv(brokerV, clientV int64) (send, recv int64) {
	if c.consumer() {
		return brokerV, clientV
	}
	return clientV, brokerV
}

// clientWindows builds the candidate for one kind of client ("producer" or "consumer").
func (r *DesignReview) clientWindows(kind string, fig measureBy) (change, bool) {
	sc := r.sc
	cs := connSides{kind: kind, brokerKey: "socket.receive.buffer.bytes", clientKey: "send.buffer.bytes",
		brokerBuf: sc.Broker.SocketReceiveBuffer, caps: model.BufferCaps{RmemMax: sc.Hardware.RmemMax, WmemMax: sc.Hardware.WmemMax}}
	if cs.consumer() {
		cs.brokerKey, cs.clientKey, cs.brokerBuf = "socket.send.buffer.bytes", "receive.buffer.bytes", sc.Broker.SocketSendBuffer
	}
	var bound []clientWindow
	for _, cl := range r.clients(kind) {
		if !r.windowBinds(kind, cl.site, cs.brokerKey, cs.clientKey) {
			continue
		}
		need, where := r.inFlightNeed(cl.site, cl.rate)
		if need > float64(min(cs.broker(), cs.client(cl.buf))) {
			bound = append(bound, clientWindow{name: cl.name, path: kind + "s[" + cl.name + "].config." + cs.clientKey, buf: cl.buf, need: need, where: where})
		}
	}
	if len(bound) == 0 {
		return change{}, false
	}
	return r.clientChange(cs, bound, fig), true
}

// clientChange raises the buffers below each bound client's need, on either side, to the next
// power of two at or above it (a buffer set larger stays), and the hosts' caps below them.
func (r *DesignReview) clientChange(cs connSides, bound []clientWindow, fig measureBy) change {
	var sets []Setting
	var names []string
	worst := bound[0]
	brokerTo, clientTo := int64(0), int64(0) // the brokers' new buffer, the largest client one; 0: unchanged
	for _, b := range bound {
		names = append(names, b.name)
		if b.need > worst.need {
			worst = b
		}
		v := max(nextPow2(int64(math.Ceil(b.need))), int64(b.buf))
		if float64(cs.client(b.buf)) < b.need {
			sets = append(sets, Setting{Path: b.path, Value: strconv.FormatInt(v, 10)})
			clientTo = max(clientTo, v)
		}
		if float64(cs.broker()) < b.need {
			brokerTo = max(brokerTo, v, int64(cs.brokerBuf))
		}
	}
	var keys []string // the settings the change sets
	if brokerTo > 0 {
		sets = append([]Setting{{Path: "broker." + cs.brokerKey, Value: strconv.FormatInt(brokerTo, 10)}}, sets...)
		keys = append(keys, cs.brokerKey)
	}
	if clientTo > 0 {
		keys = append(keys, cs.clientKey)
	}
	// Linux cuts a buffer Kafka sets to the host's cap: a send buffer to wmem_max, a receive
	// buffer to rmem_max. Raise a cap below a buffer the change sets.
	sendTo, recvTo := cs.sendRecv(brokerTo, clientTo)
	rsets, rwords := raiseCaps(r.sc.Hardware, recvTo, "rmem_max")
	wsets, wwords := raiseCaps(r.sc.Hardware, sendTo, "wmem_max")
	sets = append(append(sets, rsets...), wsets...)
	value := bufferValue(max(brokerTo, clientTo), cs.caps, worst.need) + capsRaised(append(rwords, wwords...))

	// Name the buffer that bounds the worst client's window, and the cap that cuts it.
	send, recv := cs.sendRecv(int64(cs.brokerBuf), int64(worst.buf))
	bySend, capped := cs.caps.Binding(model.Bytes(send), model.Bytes(recv))
	what := fmt.Sprintf("the %s's %d-byte %s", cs.kind, worst.buf, cs.clientKey)
	if bySend == cs.consumer() {
		what = fmt.Sprintf("the brokers' %d-byte %s", cs.brokerBuf, cs.brokerKey)
	}
	if capped {
		capKey := "rmem_max"
		if bySend {
			capKey = "wmem_max"
		}
		what += fmt.Sprintf(", cut to the hosts' net.core.%s of %d,", capKey, cs.caps.Window(model.Bytes(send), model.Bytes(recv)))
	}
	rate := "its peak rate"
	if cs.consumer() {
		rate = "the peak rate written to its topic"
	}
	return change{fig: fig, sets: sets, rec: Recommendation{
		Setting: strings.Join(keys, ", ") + " (" + cs.kind + " " + strings.Join(names, ", ") + ")", Value: value,
		Why: fmt.Sprintf("a %s connection moves at most one window per round trip: %s is below the %.0f bytes %s %s keeps in flight over %s (%s × the round trip)",
			cs.kind, what, worst.need, cs.kind, worst.name, worst.where, rate),
		Figure: fig.name + " (baseline)"}}
}

// client is a producer or consumer instance's site, its own buffer setting and its peak rate.
type client struct {
	name, site string
	buf        model.Bytes
	rate       float64 // bytes/s
}

// clients lists the producers (their send buffers and peak rates) or the consumers (their
// receive buffers and the peak rate of everything written to their topic).
func (r *DesignReview) clients(kind string) []client {
	var out []client
	if kind == "producer" {
		for _, p := range r.sc.Producers {
			out = append(out, client{name: p.Name, site: p.Site, buf: p.Config.SendBuffer, rate: peakBytesPerSec(p, r.sc.Duration)})
		}
		return out
	}
	for _, k := range r.sc.Consumers {
		rate := 0.0
		for _, p := range r.sc.Producers {
			if p.Topic == k.Topic {
				rate += float64(p.Count) * peakBytesPerSec(p, r.sc.Duration)
			}
		}
		out = append(out, client{name: k.Name, site: k.Site, buf: k.Config.ReceiveBuffer, rate: rate})
	}
	return out
}

// windowBinds reports whether a tcp-window limit binds on a connection direction of this kind of
// client at site: from it (producers' requests) or to it (consumers' responses), named by one of
// the two buffers or by a host's cap.
func (r *DesignReview) windowBinds(kind, site, brokerKey, clientKey string) bool {
	for _, l := range r.Limits {
		if l.Mechanism != model.LimitTCPWindow {
			continue
		}
		from, to, _ := strings.Cut(l.Where, "->")
		if (kind == "producer" && from != site) || (kind == "consumer" && to != site) {
			continue
		}
		switch l.Setting {
		case brokerKey, clientKey, "net.core.rmem_max", "net.core.wmem_max":
			return true
		}
	}
	return false
}

// inFlightNeed is the most a client at site sending or reading rate bytes/s must keep in flight
// on one connection: rate × RTT to a broker site, at most that link's bandwidth-delay product;
// the largest over the sites that hold brokers, and its pair.
func (r *DesignReview) inFlightNeed(site string, rate float64) (float64, string) {
	best, where := 0.0, ""
	for _, s := range r.sc.Sites {
		if s.Brokers == 0 {
			continue
		}
		l := r.sc.Network.IntraSite
		if s.Name != site {
			l = pairLink(r.sc, site, s.Name)
		}
		rtt := l.RTT.MedianValue().Seconds()
		need := rate * rtt
		if l.Bandwidth > 0 && !math.IsInf(float64(l.Bandwidth), 1) {
			need = min(need, float64(l.Bandwidth)/8*rtt)
		}
		if need > best {
			best, where = need, site+"<->"+s.Name
		}
	}
	return best, where
}

// peakBytesPerSec is the highest rate one instance of p sends: its rate, times (on+off)/on for
// on/off arrivals (Poisson at that rate during each on window), or a rate profile's highest
// mean over a second (sampled at up to 10,000 points over the run).
func peakBytesPerSec(p scenario.Producer, run time.Duration) float64 {
	if p.Profile == nil {
		rate := p.MeanBytesPerSec(0, time.Second)
		if p.Arrival.Kind == scenario.ArrivalOnOff && p.Arrival.On > 0 {
			rate *= float64(p.Arrival.On+p.Arrival.Off) / float64(p.Arrival.On)
		}
		return rate
	}
	step := max(time.Second, run/10000)
	peak := 0.0
	for t := time.Duration(0); t < run; t += step {
		peak = max(peak, p.MeanBytesPerSec(t, t+time.Second))
	}
	return peak
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

// bufferValue is a recommended buffer size v, with OS autotuning (-1) as the alternative when
// the autotuned window holds need.
func bufferValue(v int64, caps model.BufferCaps, need float64) string {
	if float64(caps.Window(-1, -1)) >= need {
		return strconv.FormatInt(v, 10) + " (or -1: OS autotuning)"
	}
	return strconv.FormatInt(v, 10)
}
