package scenario

import (
	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/model/conf"
)

func (d *decoder) producers(n *yaml.Node, path string) []Producer {
	var out []Producer
	d.list(n, path, func(v *yaml.Node, p string, _ int) {
		pr := Producer{
			Count:   1,
			Arrival: Arrival{On: DefaultOnOffWindow, Off: DefaultOnOffWindow},
			Keys:    Keys{Count: DefaultKeyCount, ZipfS: DefaultZipfS},
			Config:  model.DefaultProducerConfig(),
		}
		var given map[string]bool
		seen := d.mapping(v, p, handlers{
			"name":        func(v *yaml.Node, p string) { pr.Name = d.str(v, p) },
			"site":        func(v *yaml.Node, p string) { pr.Site = d.str(v, p) },
			"topic":       func(v *yaml.Node, p string) { pr.Topic = d.str(v, p) },
			"rate":        func(v *yaml.Node, p string) { pr.Rate, pr.Profile = d.producerRate(v, p) },
			"record_size": func(v *yaml.Node, p string) { pr.RecordSize = d.bytes(v, p) },
			"arrival":     func(v *yaml.Node, p string) { pr.Arrival.Kind = ArrivalKind(d.enum(v, p, arrivalNames)) },
			"on":          func(v *yaml.Node, p string) { pr.Arrival.On = d.duration(v, p) },
			"off":         func(v *yaml.Node, p string) { pr.Arrival.Off = d.duration(v, p) },
			"keys":        func(v *yaml.Node, p string) { pr.Keys.Kind = KeyKind(d.enum(v, p, keyNames)) },
			"key_count":   func(v *yaml.Node, p string) { pr.Keys.Count = d.integer(v, p) },
			"zipf_s":      func(v *yaml.Node, p string) { pr.Keys.ZipfS = d.float(v, p) },
			"count":       func(v *yaml.Node, p string) { pr.Count = d.integer(v, p) },
			"compression_ratio": func(v *yaml.Node, p string) {
				pr.CompressionRatio = d.compressionRatio(v, p)
				pr.CompressionRatio.Given = true
			},
			"config": func(v *yaml.Node, p string) { given = d.props(v, p, pr.Config.Set) },
		}, clientHint("producer", model.ProducerConfig{}.Properties()))
		d.require(v, p, seen, "name", "site", "topic", "rate", "record_size")
		d.workloadKeys(v, p, pr, seen)
		pr.Config.PostProcess(func(k string) bool { return given[k] })
		out = append(out, pr)
	})
	return out
}

// workloadKeys reports parameters given for another arrival process or key distribution than
// the one chosen, which would otherwise be silently ignored.
func (d *decoder) workloadKeys(n *yaml.Node, path string, pr Producer, seen map[string]*yaml.Node) {
	only := func(key string, ok bool, what string) {
		if k := seen[key]; k != nil && !ok {
			d.errorf(k, keyPath(path, key), "only used with %s", what)
		}
	}
	only("on", pr.Arrival.Kind == ArrivalOnOff, "arrival: onoff")
	only("off", pr.Arrival.Kind == ArrivalOnOff, "arrival: onoff")
	only("key_count", pr.Keys.Kind != KeysNone, "keys: uniform or keys: zipf")
	only("zipf_s", pr.Keys.Kind == KeysZipf, "keys: zipf")
}

func (d *decoder) consumers(n *yaml.Node, path string) []Consumer {
	var out []Consumer
	d.list(n, path, func(v *yaml.Node, p string, _ int) {
		c := Consumer{Config: model.DefaultConsumerConfig()}
		seen := d.mapping(v, p, handlers{
			"name":   func(v *yaml.Node, p string) { c.Name = d.str(v, p) },
			"site":   func(v *yaml.Node, p string) { c.Site = d.str(v, p) },
			"topic":  func(v *yaml.Node, p string) { c.Topic = d.str(v, p) },
			"start":  func(v *yaml.Node, p string) { c.Start = d.duration(v, p) },
			"stop":   func(v *yaml.Node, p string) { c.Stop, c.HasStop = d.duration(v, p), true },
			"config": func(v *yaml.Node, p string) { d.props(v, p, c.Config.Set) },
		}, clientHint("consumer", model.ConsumerConfig{}.Properties()))
		d.require(v, p, seen, "name", "site", "topic")
		out = append(out, c)
	})
	return out
}

func clientHint(kind string, docs []conf.PropertyDoc) func(string) string {
	return func(key string) string {
		if isProperty(key, docs) {
			return "it is a " + kind + " property: put it under config:"
		}
		return ""
	}
}
