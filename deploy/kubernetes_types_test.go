package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The part of the Kubernetes API that the checks read; decoding ignores every other field. (The
// manifests were also checked once against the API server's own validation; see
// deploy/kubernetes/README.md.)

type object struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
}

type job struct {
	object `yaml:",inline"`
	Spec   struct {
		CompletionMode       string `yaml:"completionMode"`
		Completions          *int   `yaml:"completions"`
		Parallelism          *int   `yaml:"parallelism"`
		BackoffLimit         *int   `yaml:"backoffLimit"`
		BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
		Template             struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type podSpec struct {
	RestartPolicy string      `yaml:"restartPolicy"`
	Containers    []container `yaml:"containers"`
	Volumes       []volume    `yaml:"volumes"`
}

type container struct {
	Name      string   `yaml:"name"`
	Image     string   `yaml:"image"`
	Command   []string `yaml:"command"`
	Args      []string `yaml:"args"`
	Env       []envVar `yaml:"env"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	VolumeMounts []volumeMount `yaml:"volumeMounts"`
}

type envVar struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		FieldRef *struct {
			FieldPath string `yaml:"fieldPath"`
		} `yaml:"fieldRef"`
		ResourceFieldRef *struct {
			Resource string `yaml:"resource"`
			Divisor  string `yaml:"divisor"`
		} `yaml:"resourceFieldRef"`
	} `yaml:"valueFrom"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
	ReadOnly  bool   `yaml:"readOnly"`
}

type volume struct {
	Name      string `yaml:"name"`
	ConfigMap *struct {
		Name string `yaml:"name"`
	} `yaml:"configMap"`
	PersistentVolumeClaim *struct {
		ClaimName string `yaml:"claimName"`
	} `yaml:"persistentVolumeClaim"`
}

type claim struct {
	object `yaml:",inline"`
	Spec   struct {
		AccessModes []string `yaml:"accessModes"`
	} `yaml:"spec"`
}

// manifests are the objects of a set of manifest files, by name.
type manifests struct {
	jobs   map[string]*job
	claims map[string]*claim
}

// loadManifests reads every *.yaml file of dir; a file may hold several documents.
func loadManifests(dir string) (*manifests, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no manifests in %s (%v)", dir, err)
	}
	m := &manifests{jobs: map[string]*job{}, claims: map[string]*claim{}}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if err := m.add(data); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return m, nil
}

// add decodes each document of one file.
func (m *manifests) add(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var o object
		if err := doc.Decode(&o); err != nil {
			return err
		}
		switch o.Kind {
		case "Job":
			err = decodeInto(&doc, o.Metadata.Name, m.jobs)
		case "PersistentVolumeClaim":
			err = decodeInto(&doc, o.Metadata.Name, m.claims)
		case "Pod", "ConfigMap":
		default:
			err = fmt.Errorf("line %d: unexpected kind %q", doc.Line, o.Kind)
		}
		if err != nil {
			return err
		}
	}
}

func decodeInto[T any](doc *yaml.Node, name string, into map[string]*T) error {
	if _, dup := into[name]; dup || name == "" {
		return fmt.Errorf("line %d: a second object named %q", doc.Line, name)
	}
	v := new(T)
	if err := doc.Decode(v); err != nil {
		return err
	}
	into[name] = v
	return nil
}

// completionIndexRef is the pod annotation (and, from Kubernetes 1.28, label) that holds an
// Indexed Job pod's completion index.
const completionIndexRef = "batch.kubernetes.io/job-completion-index"

// env returns the environment Kubernetes gives container c of a pod of Job j with the given
// completion index, for the variables the checks can resolve: plain values, the completion
// index, and requests or limits of CPU. As the Job controller does, an Indexed Job's container
// that does not declare JOB_COMPLETION_INDEX gets it. Others are left out.
func env(j *job, c *container, index int) map[string]string {
	out := map[string]string{}
	indexed := j.Spec.CompletionMode == "Indexed"
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			out[e.Name] = expand(e.Value, out)
		case e.ValueFrom.FieldRef != nil:
			p := e.ValueFrom.FieldRef.FieldPath
			if indexed && (p == "metadata.annotations['"+completionIndexRef+"']" ||
				p == "metadata.labels['"+completionIndexRef+"']") {
				out[e.Name] = strconv.Itoa(index)
			}
		case e.ValueFrom.ResourceFieldRef != nil:
			if v, ok := cpuField(c, e.ValueFrom.ResourceFieldRef.Resource, e.ValueFrom.ResourceFieldRef.Divisor); ok {
				out[e.Name] = v
			}
		}
	}
	if _, ok := out["JOB_COMPLETION_INDEX"]; indexed && !ok && !declares(c, "JOB_COMPLETION_INDEX") {
		out["JOB_COMPLETION_INDEX"] = strconv.Itoa(index)
	}
	return out
}

func declares(c *container, name string) bool {
	for _, e := range c.Env {
		if e.Name == name {
			return true
		}
	}
	return false
}

// cpuField is the value of a resourceFieldRef to requests.cpu or limits.cpu: the quantity
// divided by the divisor (default 1), rounded up, as the kubelet computes it.
func cpuField(c *container, resource, divisor string) (string, bool) {
	var q string
	switch resource {
	case "requests.cpu":
		q = c.Resources.Requests["cpu"]
	case "limits.cpu":
		q = c.Resources.Limits["cpu"]
	default:
		return "", false
	}
	if divisor == "" {
		divisor = "1"
	}
	v, ok1 := millicores(q)
	d, ok2 := millicores(divisor)
	if !ok1 || !ok2 || d == 0 {
		return "", false
	}
	return strconv.FormatInt((v+d-1)/d, 10), true
}

// millicores parses a CPU quantity such as "2", "1.5" or "500m".
func millicores(q string) (int64, bool) {
	if m, ok := strings.CutSuffix(q, "m"); ok {
		v, err := strconv.ParseInt(m, 10, 64)
		return v, err == nil && v >= 0
	}
	v, err := strconv.ParseFloat(q, 64)
	return int64(math.Ceil(v * 1000)), err == nil && v >= 0
}

// expand replaces $(NAME) in s by NAME's value in env, as Kubernetes does in a container's
// command, args and env values: a reference to a name env lacks stays as it is, and $$ stands
// for a literal $.
func expand(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			ref := s[i : i+3+end]
			if v, ok := env[ref[2:len(ref)-1]]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(ref)
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// mountFor returns the volume of spec mounted by c at the longest mount path that holds path.
func mountFor(spec *podSpec, c *container, path string) *volume {
	var best *volumeMount
	for i, m := range c.VolumeMounts {
		dir := strings.TrimSuffix(m.MountPath, "/")
		if (path == dir || strings.HasPrefix(path, dir+"/")) && (best == nil || len(dir) > len(best.MountPath)) {
			best = &c.VolumeMounts[i]
		}
	}
	if best == nil {
		return nil
	}
	for i, v := range spec.Volumes {
		if v.Name == best.Name {
			return &spec.Volumes[i]
		}
	}
	return nil
}
