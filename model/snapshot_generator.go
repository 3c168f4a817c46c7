package model

import (
	"github.com/stretchsim/stretchsim/model/kraft"
	"github.com/stretchsim/stretchsim/sim"
)

// snapshotGenerator decides when a node — a controller or a broker — writes a snapshot of its
// metadata image (SnapshotGenerator, a publisher of Kafka's MetadataLoader). After each batch of
// committed records the node applied it counts their bytes; it writes a snapshot once
// metadata.log.max.record.bytes.between.snapshots bytes were applied since the last one, or else
// once metadata.log.max.snapshot.interval.ms has passed since then (checked only when records
// were applied, so an idle log gets no new snapshot). The counters start with the process
// (the model's processes start at time 0 or at their restart) and again with every snapshot
// written or loaded. Writing is instant (Kafka's SnapshotEmitter writes on its own thread).
type snapshotGenerator struct {
	cfg        *MetadataLogConfig
	bytesSince Bytes
	lastAt     sim.Time
	// image is the image last written or loaded; while no applied record changed the state, the
	// next snapshot holds the same image and shares it (images never change once written).
	image   *ctrlState
	changed bool
}

// reset starts the counters again (resetSnapshotCounters).
func (g *snapshotGenerator) reset(now sim.Time) { g.bytesSince, g.lastAt = 0, now }

// onDelta counts a batch of applied entries (publishLogDelta) and reports whether to write a
// snapshot now.
func (g *snapshotGenerator) onDelta(now sim.Time, es kraft.Entries) bool {
	g.bytesSince += es.Bytes()
	if !es.OnlyRepeatable() {
		g.changed = true
	}
	if g.bytesSince >= g.cfg.SnapshotMaxNewRecordBytes {
		return true
	}
	return g.cfg.SnapshotMaxInterval != 0 && now.Sub(g.lastAt) >= g.cfg.SnapshotMaxInterval
}

// emit returns the image of st to write and starts the counters again.
func (g *snapshotGenerator) emit(now sim.Time, st *ctrlState) *ctrlState {
	g.reset(now)
	if g.image == nil || g.changed {
		img := st.clone()
		g.image, g.changed = &img, false
	}
	return g.image
}

// loaded records a snapshot the node loaded (publishSnapshot): its state is that image now.
func (g *snapshotGenerator) loaded(now sim.Time, img *ctrlState) {
	g.reset(now)
	g.image, g.changed = img, false
}

// loadImage returns a node's state from a snapshot image holding the log up to end.
func loadImage(img kraft.SnapshotImage, end Offset) ctrlState {
	st := img.(*ctrlState).clone()
	st.applied = end - 1
	return st
}

// Record sizes of a snapshot: one RegisterBrokerRecord per registered broker and one record per
// partition, sized as the model sizes its RegisterBrokerRecord and PartitionChangeRecord, each
// with its framing, between a header and a footer control record (SnapshotHeaderRecord,
// SnapshotFooterRecord).
func (st *ctrlState) SnapshotBytes() Bytes {
	b := 2 * (kraft.ControlRecordBytes + kraft.EntryOverhead)
	for _, br := range st.brokers {
		if br.registered {
			b += registerBrokerRecord{}.WireSize() + kraft.EntryOverhead
		}
	}
	return b + Bytes(st.parts.len())*(partitionChangeRecord{}.WireSize()+kraft.EntryOverhead)
}
