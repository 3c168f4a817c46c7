package scenario

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/model/conf"
)

// Defaults of the scenario's simulation settings.
const (
	DefaultSeed            = 1
	DefaultMetricsInterval = time.Second
)

// scenario decodes the root mapping of a scenario file.
func (d *decoder) scenario(root *yaml.Node) *Scenario {
	s := &Scenario{
		File: d.file, Seed: DefaultSeed, MetricsInterval: DefaultMetricsInterval,
		Broker: model.DefaultBrokerConfig(), Controller: model.DefaultControllerConfig(),
		Hardware: model.DefaultHardware(),
	}
	if d.file != "" {
		s.Name = strings.TrimSuffix(filepath.Base(d.file), filepath.Ext(d.file))
	}
	s.lines = d.lines
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	seen := d.mapping(n, "", handlers{
		"name":             func(v *yaml.Node, p string) { s.Name = d.str(v, p) },
		"seed":             func(v *yaml.Node, p string) { s.Seed = parseAt(d, v, p, "a whole number", parseSeed) },
		"duration":         func(v *yaml.Node, p string) { s.Duration = d.duration(v, p) },
		"warmup":           func(v *yaml.Node, p string) { s.Warmup = d.duration(v, p) },
		"metrics_interval": func(v *yaml.Node, p string) { s.MetricsInterval = d.duration(v, p) },
		"sites":            func(v *yaml.Node, p string) { s.Sites = d.sites(v, p) },
		"network":          func(v *yaml.Node, p string) { s.Network = d.network(v, p) },
		"broker":           func(v *yaml.Node, p string) { d.props(v, p, s.Broker.Set) },
		"controller":       func(v *yaml.Node, p string) { d.props(v, p, s.Controller.Set) },
		"hardware":         func(v *yaml.Node, p string) { d.hardware(v, p, &s.Hardware) },
		"topics":           func(v *yaml.Node, p string) { s.Topics = d.topics(v, p) },
		"producers":        func(v *yaml.Node, p string) { s.Producers = d.producers(v, p) },
		"consumers":        func(v *yaml.Node, p string) { s.Consumers = d.consumers(v, p) },
		"faults":           func(v *yaml.Node, p string) { s.Faults = d.faults(v, p) },
		"random_faults":    func(v *yaml.Node, p string) { s.RandomFaults = d.randomFaults(v, p) },
	}, rootHint)
	d.require(n, "", seen, "duration", "sites")
	return s
}

// rootHint explains a Kafka property written at the top level.
func rootHint(key string) string {
	switch {
	case isProperty(key, model.BrokerConfig{}.Properties()):
		return "it is a broker property: put it under broker:"
	case isProperty(key, model.ControllerConfig{}.Properties()):
		return "it is a controller property: put it under controller:"
	}
	return ""
}

func isProperty(key string, docs []conf.PropertyDoc) bool {
	for _, p := range docs {
		if p.Name == key {
			return true
		}
	}
	return false
}

func (d *decoder) sites(n *yaml.Node, path string) []model.SiteSpec {
	var out []model.SiteSpec
	d.list(n, path, func(v *yaml.Node, p string, _ int) {
		var s model.SiteSpec
		seen := d.mapping(v, p, handlers{
			"name":        func(v *yaml.Node, p string) { s.Name = d.str(v, p) },
			"brokers":     func(v *yaml.Node, p string) { s.Brokers = d.integer(v, p) },
			"controllers": func(v *yaml.Node, p string) { s.Controllers = d.integer(v, p) },
			"racks":       func(v *yaml.Node, p string) { s.Racks = d.names(v, p) },
		}, nil)
		d.require(v, p, seen, "name", "brokers")
		out = append(out, s)
	})
	return out
}

func (d *decoder) network(n *yaml.Node, path string) Network {
	var nw Network
	d.mapping(n, path, handlers{
		"intra_site": func(v *yaml.Node, p string) { nw.IntraSite = d.link(v, p, nil) },
		"inter_site": func(v *yaml.Node, p string) { nw.InterSite = d.link(v, p, nil) },
		"links": func(v *yaml.Node, p string) {
			d.list(v, p, func(v *yaml.Node, p string, _ int) {
				var l Link
				l.LinkSpec = d.link(v, p, &l.Between)
				nw.Links = append(nw.Links, l)
			})
		},
	}, nil)
	return nw
}

// link decodes a link; between, when not nil, receives the pair a links item names.
func (d *decoder) link(n *yaml.Node, path string, between *[2]string) model.LinkSpec {
	var l model.LinkSpec
	hs := handlers{
		"rtt":       func(v *yaml.Node, p string) { l.RTT, l.HasRTT = d.dist(v, p), true },
		"jitter":    func(v *yaml.Node, p string) { l.Jitter = d.duration(v, p) },
		"bandwidth": func(v *yaml.Node, p string) { l.Bandwidth = d.bandwidth(v, p, false) },
		"loss":      func(v *yaml.Node, p string) { l.Loss = d.float(v, p) },
	}
	if between != nil {
		hs["between"] = func(v *yaml.Node, p string) { *between = d.pair(v, p) }
	}
	seen := d.mapping(n, path, hs, nil)
	if between != nil {
		d.require(n, path, seen, "between")
	}
	return l
}

// pair decodes a list of exactly two site names.
func (d *decoder) pair(n *yaml.Node, path string) [2]string {
	names := d.names(n, path)
	if len(names) != 2 {
		if resolve(n).Kind == yaml.SequenceNode {
			d.errorf(resolve(n), path, "want two site names, got %d", len(names))
		}
		return [2]string{}
	}
	return [2]string{names[0], names[1]}
}

func (d *decoder) hardware(n *yaml.Node, path string, h *model.HardwareSpec) {
	d.mapping(n, path, handlers{
		"request_cpu_time":     func(v *yaml.Node, p string) { h.RequestCPUTime = d.duration(v, p) },
		"cpu_bytes_per_second": func(v *yaml.Node, p string) { h.CPUBytesPerSecond = d.throughput(v, p) },
		"disk_write_bandwidth": func(v *yaml.Node, p string) { h.DiskWriteBandwidth = d.throughput(v, p) },
		"dirty_expire":         func(v *yaml.Node, p string) { h.DirtyExpire = d.duration(v, p) },
		"dirty_writeback":      func(v *yaml.Node, p string) { h.DirtyWriteback = d.duration(v, p) },
		"rmem_max":             func(v *yaml.Node, p string) { h.RmemMax = d.positiveBytes(v, p) },
		"wmem_max":             func(v *yaml.Node, p string) { h.WmemMax = d.positiveBytes(v, p) },
		"compression":          func(v *yaml.Node, p string) { d.codecRates(v, p, h) },
	}, nil)
}

func parseSeed(s string) (uint64, error) {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a seed: want a whole number from 0 to %d", s, uint64(1<<64-1))
	}
	return v, nil
}
