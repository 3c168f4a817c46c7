package conf

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toy is a config struct of each kind of field a registry reaches.
type toy struct {
	Wait    time.Duration
	Period  time.Duration
	Size    size
	Buffer  size
	Threads int
	On      bool
}

type size int64

var toyProps = NewRegistry("toy", []Property[toy]{
	MsProp("wait.ms", "a wait", AtLeast(0), func(c *toy) *time.Duration { return &c.Wait }),
	SecondsProp("period.seconds", "a period", AtLeastLong(1), func(c *toy) *time.Duration { return &c.Period }),
	BytesProp("batch.size", "a size", AtLeast(0), func(c *toy) *size { return &c.Size }),
	BufferProp("send.buffer.bytes", "a buffer", func(c *toy) *size { return &c.Buffer }),
	IntProp("num.threads", "a count", AtLeast(1), func(c *toy) *int { return &c.Threads }),
	BoolProp("enable.on", "a switch", func(c *toy) *bool { return &c.On }),
}, map[string]Unmodelled{
	"compression.type": {Simulated: "none"},
	"group.id":         {Why: "no groups"},
})

func TestRegistrySet(t *testing.T) {
	var c toy
	for _, kv := range [][2]string{{"wait.ms", "250"}, {" period.seconds ", " 60 "}, {"batch.size", "16KiB"},
		{"send.buffer.bytes", "-1"}, {"num.threads", "8"}, {"enable.on", "TRUE"}, {"compression.type", "NONE"}} {
		require.NoError(t, toyProps.Set(&c, kv[0], kv[1]), kv[0])
	}
	assert.Equal(t, toy{Wait: 250 * time.Millisecond, Period: time.Minute, Size: 16384, Buffer: -1, Threads: 8, On: true}, c)
}

func TestRegistrySetErrors(t *testing.T) {
	for _, tt := range []struct{ key, value, want string }{
		{"wait.ms", "5s", `"5s" is not a whole number: wait.ms is in milliseconds (write 5000 for 5s)`},
		{"period.seconds", "0", "must be at least 1, got 0"},
		{"batch.size", "4GiB", "must be at most 2147483647, got 4294967296"},
		{"send.buffer.bytes", "0", "must be -1 (the OS default) or positive, got 0"},
		{"enable.on", "yes", `"yes" is not a boolean: want true or false`},
		{"compression.type", "zstd", "compression.type=zstd is not modelled by stretchsim (it simulates compression.type=none)"},
		{"group.id", "g", "group.id is not modelled by stretchsim (no groups)"},
		{"num.thread", "1", `unknown toy property "num.thread" (did you mean "num.threads"?)`},
		{"xyzzy", "1", `unknown toy property "xyzzy"`},
	} {
		var c toy
		assert.EqualError(t, toyProps.Set(&c, tt.key, tt.value), tt.want, tt.key)
		assert.Equal(t, toy{}, c, "a failed Set leaves the config unchanged")
	}
}

func TestRegistryCheckAndDocs(t *testing.T) {
	c := toy{Wait: -time.Millisecond, Buffer: 0, Threads: 0}
	errs := toyProps.Check(&c)
	require.Len(t, errs, 4)
	assert.EqualError(t, errs[0], "wait.ms: must be at least 0, got -1")
	assert.EqualError(t, errs[1], "period.seconds: must be at least 1, got 0")
	assert.EqualError(t, errs[2], "send.buffer.bytes: must be -1 (the OS default) or positive, got 0")
	assert.EqualError(t, errs[3], "num.threads: must be at least 1, got 0")

	docs := toyProps.Docs(toy{Wait: time.Second, Size: 512, On: true})
	assert.Equal(t, PropertyDoc{Name: "wait.ms", Default: "1000", Doc: "a wait"}, docs[0])
	assert.Equal(t, "512", docs[2].Default)
	assert.Equal(t, "true", docs[5].Default)
}

func TestNewRegistryPanicsOnDuplicate(t *testing.T) {
	p := IntProp("n", "", AtLeast(0), func(c *toy) *int { return &c.Threads })
	assert.Panics(t, func() { NewRegistry("toy", []Property[toy]{p, p}, nil) })
}

func TestClosestName(t *testing.T) {
	names := []string{"replica.lag.time.max.ms", "replica.fetch.wait.max.ms", "linger.ms"}
	for _, tt := range []struct{ in, want string }{
		{"replica.lag.time.max", "replica.lag.time.max.ms"},
		{"lag.time", "replica.lag.time.max.ms"},
		{"lingr.ms", "linger.ms"},
		{"LINGER.MS", "linger.ms"},
		{"xyzzy", ""},
	} {
		got, ok := ClosestName(tt.in, names)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.want != "", ok, tt.in)
	}
}
