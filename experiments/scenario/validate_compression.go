package scenario

import (
	"github.com/stretchsim/stretchsim/model"
)

// compression checks a producer's compression_ratio against the codecs its records are
// compressed in: the producer's compression.type and, when its topic's compression.type names
// another codec, the topic's (the leader recompresses). Each ratio must be in (0, 1], and every
// codec in use must have one: nothing assumes how compressible the records are.
func (v *validator) compression(p string, pr Producer) {
	cr := pr.CompressionRatio
	at := func(c model.Codec) string {
		if cr.PerCodec {
			return p + ".compression_ratio." + c.String()
		}
		return p + ".compression_ratio"
	}
	for c := model.CodecGzip; c < model.NumCodecs; c++ {
		if r := cr.Ratios[c]; cr.Set[c] && (cr.PerCodec || c == model.CodecGzip) && !(r > 0 && r <= 1) {
			v.errorf(at(c), "must be above 0 and at most 1 (compressed bytes over uncompressed bytes), got %g", r)
		}
	}
	source := pr.Config.CompressionType
	used := map[model.Codec]string{}
	if source != model.CodecNone {
		used[source] = "compression.type=" + source.String()
	}
	if t, ok := v.topicSpec(pr.Topic); ok {
		if target := t.Config.Compression.Target(source); target != source && target != model.CodecNone {
			used[target] = "topic " + t.Name + " stores its batches as " + target.String() + " (its compression.type)"
		}
	}
	for c := model.CodecGzip; c < model.NumCodecs; c++ {
		why, ok := used[c]
		if !ok || cr.Set[c] {
			continue
		}
		path := p + ".config.compression.type"
		if c != source {
			path = p + ".topic"
		}
		if cr.Given {
			path = p + ".compression_ratio"
		}
		v.errorf(path, "%s, so the producer needs compression_ratio for %s: how compressible the records are, e.g. compression_ratio: 0.5 "+
			"(measure it on a sample: README, \"Compression\")", why, c)
	}
	if cr.Given && len(used) == 0 {
		v.warnf(p+".compression_ratio", "is not used: the producer's compression.type is none and topic %s keeps it", pr.Topic)
	}
}

// topicSpec returns the topic named name.
func (v *validator) topicSpec(name string) (model.TopicSpec, bool) {
	for _, t := range v.s.Topics {
		if t.Name == name {
			return t, true
		}
	}
	return model.TopicSpec{}, false
}
