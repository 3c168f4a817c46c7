package experiments

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
)

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

// client is a producer or consumer instance's site, its own buffer setting and its peak rate.
type client struct {
	name, site string
	buf        model.Bytes
	rate       float64 // bytes/s
}

// clientBufferCandidates: a client's connections to the brokers are window-bound. A tcp-window
// limit binds on the client's own connections in the direction its data goes: a producer's
// requests (its send.buffer.bytes against the brokers' socket.receive.buffer.bytes), a
// consumer's responses (the brokers' socket.send.buffer.bytes against its receive.buffer.bytes).
// And that window, each buffer cut to its host's cap, is below what one connection carrying
// all of the client's peak rate keeps in flight (inFlightNeed). A connection moves at most one
// window per round trip; a leader reads one request per connection at a time (§2.8a), so a
// producer's next requests wait in the socket buffers while one commits. Raise the buffers below
// that to the next power of two at or above it, and the hosts' caps with them; the re-run tells
// whether it helps.
func (r *DesignReview) clientBufferCandidates() []change {
	var out []change
	fig := figP99
	if r.Saturation != nil && r.Saturation.Saturated {
		fig = figThroughput
	}
	if c, ok := r.clientWindows("producer", fig); ok {
		out = append(out, c)
	}
	if c, ok := r.clientWindows("consumer", figE2E); ok {
		out = append(out, c)
	}
	return out
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
		if !r.windowBinds(kind, cl, cs.brokerKey, cs.clientKey) {
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
		v := nextPow2(int64(math.Ceil(b.need)))
		if float64(cs.client(b.buf)) < b.need {
			to := max(v, int64(b.buf)) // a buffer set larger, cut by its cap, stays
			sets = append(sets, Setting{Path: b.path, Value: strconv.FormatInt(to, 10)})
			clientTo = max(clientTo, to)
		}
		if float64(cs.broker()) < b.need {
			brokerTo = max(brokerTo, v, int64(cs.brokerBuf))
		}
	}
	var keys, values []string // the settings the change sets, and their values
	if brokerTo > 0 {
		sets = append([]Setting{{Path: "broker." + cs.brokerKey, Value: strconv.FormatInt(brokerTo, 10)}}, sets...)
		keys = append(keys, cs.brokerKey)
		values = append(values, fmt.Sprintf("the brokers' %s %d", cs.brokerKey, brokerTo))
	}
	if clientTo > 0 {
		keys = append(keys, cs.clientKey)
		values = append(values, fmt.Sprintf("%s %d", cs.clientKey, clientTo))
	}
	value := strconv.FormatInt(max(brokerTo, clientTo), 10)
	if brokerTo > 0 && clientTo > 0 && brokerTo != clientTo {
		value = strings.Join(values, ", ")
	}
	// Linux cuts a buffer Kafka sets to the host's cap: a send buffer to wmem_max, a receive
	// buffer to rmem_max. Raise a cap below a buffer the change sets.
	sendTo, recvTo := cs.sendRecv(brokerTo, clientTo)
	rsets, rwords := raiseCaps(r.sc.Hardware, recvTo, "rmem_max")
	wsets, wwords := raiseCaps(r.sc.Hardware, sendTo, "wmem_max")
	sets = append(append(sets, rsets...), wsets...)
	value = bufferValue(value, cs.caps, worst.need, append(rwords, wwords...))

	rate := "its peak rate"
	if cs.consumer() {
		rate = "the peak rate written to its topic"
	}
	return change{fig: fig, sets: sets, rec: Recommendation{
		Setting: strings.Join(keys, ", ") + " (" + cs.kind + " " + strings.Join(names, ", ") + ")", Value: value,
		Why: fmt.Sprintf("a connection moves at most one window per round trip: %s is below the %.0f bytes one connection carrying all of %s %s keeps in flight over %s (%s × the round trip)",
			cs.binding(worst.buf), worst.need, cs.kind, worst.name, worst.where, rate),
		Figure: fig.name + " (baseline)"}}
}

// binding names the buffer that bounds a client's window (its own buffer buf, or the brokers'),
// and the cap that cuts it: "the brokers' 102400-byte socket.receive.buffer.bytes".
func (cs connSides) binding(buf model.Bytes) string {
	send, recv := cs.sendRecv(int64(cs.brokerBuf), int64(buf))
	bySend, capped := cs.caps.Binding(model.Bytes(send), model.Bytes(recv))
	who, key, set := cs.kind+"'s", cs.clientKey, buf
	if bySend == cs.consumer() {
		who, key, set = "brokers'", cs.brokerKey, cs.brokerBuf
	}
	win := cs.caps.Window(model.Bytes(send), model.Bytes(recv))
	if set <= 0 {
		return fmt.Sprintf("the %s %s, autotuned (a %d-byte window),", who, key, win)
	}
	what := fmt.Sprintf("the %s %d-byte %s", who, set, key)
	if capped {
		capKey := "rmem_max"
		if bySend {
			capKey = "wmem_max"
		}
		what += fmt.Sprintf(", cut to the hosts' net.core.%s of %d,", capKey, win)
	}
	return what
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

// windowBinds reports whether a tcp-window limit binds on a connection direction of client cl of
// this kind: from its site (a producer's requests) or into it (a consumer's responses), on its
// own connections (the limit's where names it: "dc-a->dc-b (producer checkout)"), named by one
// of the two buffers or by a host's cap.
func (r *DesignReview) windowBinds(kind string, cl client, brokerKey, clientKey string) bool {
	for _, l := range r.Limits {
		pair, ok := strings.CutSuffix(l.Where, " ("+kind+" "+cl.name+")")
		if l.Mechanism != model.LimitTCPWindow || !ok {
			continue
		}
		from, to, _ := strings.Cut(pair, "->")
		if (kind == "producer" && from != cl.site) || (kind == "consumer" && to != cl.site) {
			continue
		}
		switch l.Setting {
		case brokerKey, clientKey, "net.core.rmem_max", "net.core.wmem_max":
			return true
		}
	}
	return false
}

// inFlightNeed is what one connection carrying all of a client's rate bytes/s keeps in flight
// between its site and a broker site: rate × RTT, at most that link's bandwidth-delay product;
// the largest over the sites that hold brokers, and its pair. A client spreads its bytes over a
// connection per leader, but unevenly in time (a producer's batches leave in bursts, a Fetch
// response carries what gathered since the last): this is the window no connection outgrows.
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
