package workloads

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

func validSpec() Spec {
	return Spec{Process: Poisson, Rate: Rate{BytesPerSec: 20e6}, RecordSize: model.KiB}
}

func TestValidateAccepts(t *testing.T) {
	cases := map[string]func(*Spec){
		"poisson, no keys":            func(*Spec) {},
		"constant, records/s":         func(s *Spec) { s.Process, s.Rate = Constant, Rate{RecordsPerSec: 1} },
		"onoff":                       func(s *Spec) { s.Process, s.On, s.Off = OnOff, time.Second, time.Second },
		"uniform over one key":        func(s *Spec) { s.Keys, s.KeyCount = UniformKeys, 1 },
		"zipf":                        func(s *Spec) { s.Keys, s.KeyCount, s.ZipfS = ZipfKeys, 1000, 1.1 },
		"start offset":                func(s *Spec) { s.Start = time.Minute },
		"on/off ignored unless onoff": func(s *Spec) { s.On, s.Off = -1, -1 },
		"zipf_s ignored unless zipf":  func(s *Spec) { s.Keys, s.KeyCount, s.ZipfS = UniformKeys, 3, 0 },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			s := validSpec()
			mutate(&s)
			assert.NoError(t, s.Validate())
		})
	}
}

func TestValidateRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Spec)
		want   []string
	}{
		{"zero rate", func(s *Spec) { s.Rate = Rate{} }, []string{"rate: must be > 0"}},
		{"negative byte rate", func(s *Spec) { s.Rate = Rate{BytesPerSec: -1} }, []string{"rate: must be finite and > 0"}},
		{"negative record rate", func(s *Spec) { s.Rate = Rate{RecordsPerSec: -5} }, []string{"rate: must be finite and > 0, got -5 records/s"}},
		{"NaN rate", func(s *Spec) { s.Rate = Rate{RecordsPerSec: math.NaN()} }, []string{"rate: must be finite"}},
		{"infinite rate", func(s *Spec) { s.Rate = Rate{BytesPerSec: math.Inf(1)} }, []string{"rate: must be finite"}},
		{"both rates", func(s *Spec) { s.Rate = Rate{BytesPerSec: 1, RecordsPerSec: 1} }, []string{"rate: both"}},
		{"rate too low", func(s *Spec) { s.Rate = Rate{RecordsPerSec: 1e-7} }, []string{"rate: 1e-07 records/s is below one record in 12 days"}},
		{"zero size", func(s *Spec) { s.RecordSize = 0 }, []string{"record_size: must be > 0, got 0"}},
		{"negative size", func(s *Spec) { s.RecordSize = -1 }, []string{"record_size: must be > 0, got -1"}},
		{"onoff without windows", func(s *Spec) { s.Process = OnOff }, []string{"on: must be > 0", "off: must be > 0"}},
		{"onoff negative off", func(s *Spec) { s.Process, s.On, s.Off = OnOff, time.Second, -time.Second }, []string{"off: must be > 0 for an onoff process, got -1s"}},
		{"uniform without keys", func(s *Spec) { s.Keys = UniformKeys }, []string{"key_count: must be >= 1 for uniform keys, got 0"}},
		{"zipf s = 1", func(s *Spec) { s.Keys, s.KeyCount, s.ZipfS = ZipfKeys, 10, 1 }, []string{"zipf_s: must be finite and > 1, got 1"}},
		{"zipf s NaN", func(s *Spec) { s.Keys, s.KeyCount, s.ZipfS = ZipfKeys, 10, math.NaN() }, []string{"zipf_s:"}},
		{"zipf without keys or s", func(s *Spec) { s.Keys = ZipfKeys }, []string{"key_count:", "zipf_s:"}},
		{"unknown process", func(s *Spec) { s.Process = 7 }, []string{"process: unknown kind 7"}},
		{"unknown keys", func(s *Spec) { s.Keys = -1 }, []string{"keys: unknown kind -1"}},
		{"negative start", func(s *Spec) { s.Start = -time.Second }, []string{"start: must be >= 0, got -1s"}},
		{"everything at once", func(s *Spec) {
			*s = Spec{Process: OnOff, Keys: ZipfKeys, Start: -1}
		}, []string{"rate:", "record_size:", "on:", "off:", "key_count:", "zipf_s:", "start:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validSpec()
			c.mutate(&s)
			err := s.Validate()
			require.Error(t, err)
			for _, w := range c.want {
				assert.ErrorContains(t, err, w)
			}
			assert.Len(t, strings.Split(err.Error(), "\n"), len(c.want), "one line per problem")
		})
	}
}

func TestNewPanicsOnInvalidSpec(t *testing.T) {
	assert.PanicsWithValue(t, "workloads.New: invalid spec: record_size: must be > 0, got 0", func() {
		New(Spec{Rate: Rate{RecordsPerSec: 1}}, nil)
	})
	assert.Panics(t, func() { New(validSpec(), nil) })
}

func TestKindStrings(t *testing.T) {
	assert.Equal(t, []string{"constant", "poisson", "onoff", "Process(3)"},
		[]string{Constant.String(), Poisson.String(), OnOff.String(), Process(3).String()})
	assert.Equal(t, []string{"none", "uniform", "zipf", "KeyKind(3)"},
		[]string{NoKeys.String(), UniformKeys.String(), ZipfKeys.String(), KeyKind(3).String()})
}
