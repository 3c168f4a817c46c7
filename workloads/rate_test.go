package workloads

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stretchsim/stretchsim/model"
)

func TestRateRecordRate(t *testing.T) {
	cases := []struct {
		name string
		rate Rate
		size model.Bytes
		want float64
	}{
		{"20MB/s of 1KiB records", Rate{BytesPerSec: 20e6}, model.KiB, 19531.25},
		{"1MiB/s of 1KiB records", Rate{BytesPerSec: float64(model.MiB)}, model.KiB, 1024},
		{"100 bytes/s of 10-byte records", Rate{BytesPerSec: 100}, 10, 10},
		{"records/s ignores the size", Rate{RecordsPerSec: 5000}, model.KiB, 5000},
		{"records/s with no size", Rate{RecordsPerSec: 7.5}, 0, 7.5},
		{"byte rate with no size", Rate{BytesPerSec: 1e6}, 0, 0},
		{"unset", Rate{}, model.KiB, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, c.rate.RecordRate(c.size))
			assert.Equal(t, c.want, Spec{Rate: c.rate, RecordSize: c.size}.RecordsPerSec())
		})
	}
}

func TestRateString(t *testing.T) {
	assert.Equal(t, "20MB/s", Rate{BytesPerSec: 20e6}.String())
	assert.Equal(t, "5000 records/s", Rate{RecordsPerSec: 5000}.String())
}
