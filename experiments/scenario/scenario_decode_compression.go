package scenario

import (
	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/model"
)

// compressionRatio decodes a producer's compression_ratio: one ratio for whichever codec
// compresses its records (compression_ratio: 0.35), or one per codec ({lz4: 0.5, zstd: 0.35}).
func (d *decoder) compressionRatio(n *yaml.Node, path string) CompressionRatio {
	n = resolve(n)
	if n != nil && n.Kind == yaml.MappingNode {
		r := CompressionRatio{PerCodec: true}
		hs := handlers{}
		for c := model.CodecGzip; c < model.NumCodecs; c++ {
			hs[c.String()] = func(v *yaml.Node, p string) { r.Ratios[c], r.Set[c] = d.float(v, p), true }
		}
		d.mapping(n, path, hs, func(key string) string {
			if key == "none" {
				return "an uncompressed batch has no ratio"
			}
			return ""
		})
		return r
	}
	v := d.float(n, path)
	r := CompressionRatio{}
	for c := model.CodecGzip; c < model.NumCodecs; c++ {
		r.Ratios[c], r.Set[c] = v, true
	}
	return r
}

// codecRates decodes hardware.compression: per codec, the compress and decompress speed of one
// core, overriding the documented defaults (model.DefaultCodecRates).
func (d *decoder) codecRates(n *yaml.Node, path string, h *model.HardwareSpec) {
	hs := handlers{}
	for c := model.CodecGzip; c < model.NumCodecs; c++ {
		hs[c.String()] = func(v *yaml.Node, p string) {
			d.mapping(v, p, handlers{
				"compress":   func(v *yaml.Node, p string) { h.Codecs[c].Compress = d.throughput(v, p) },
				"decompress": func(v *yaml.Node, p string) { h.Codecs[c].Decompress = d.throughput(v, p) },
			}, nil)
		}
	}
	d.mapping(n, path, hs, nil)
}
