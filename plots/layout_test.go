package plots

import (
	"image/color"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/plot/vg/draw"
)

// Legend labels too wide for their column that share a prefix keep the ends that tell them
// apart, cut after a separator; labels that fit are left alone.
func TestFitLabelsKeepsWhatDiffers(t *testing.T) {
	sty := textStyle(legendSize, color.Black, draw.XLeft, draw.YBottom)
	labels := []string{"broker.replica.socket.receive.buffer.bytes=65536", "broker.replica.socket.receive.buffer.bytes=-1"}
	w := sty.Width("broker.replica.socket.rec")
	got := fitLabels(sty, labels, w)
	for i, s := range got {
		assert.LessOrEqual(t, sty.Width(s), w, "%q", s)
		assert.True(t, strings.HasPrefix(s, "…"), "%q", s)
		assert.True(t, strings.HasSuffix(labels[i], strings.TrimPrefix(s, "…")), "%q is not the end of %q", s, labels[i])
	}
	assert.True(t, strings.HasSuffix(got[0], "=65536") && strings.HasSuffix(got[1], "=-1"), "%q", got)
	assert.Contains(t, "._-= ", string([]rune(labels[0])[len([]rune(labels[0]))-len([]rune(got[0]))]), "cut after a separator: %q", got[0])

	// A label that is the others' prefix keeps a rune of its own.
	assert.Equal(t, []string{"…ms=1", "…ms=10"}, fitLabels(sty, []string{"linger.ms=1", "linger.ms=10"}, sty.Width("linger.ms=")))
	assert.Equal(t, []string{"…1", "…10"}, fitLabels(sty, []string{"linger.ms=1", "linger.ms=10"}, sty.Width("…10")))
	// Labels that fit, or one label alone, are as fit leaves them.
	assert.Equal(t, labels, fitLabels(sty, labels, 10*w))
	one := fitLabels(sty, labels[:1], w)
	assert.True(t, strings.HasPrefix(one[0], "broker.") && strings.HasSuffix(one[0], "…"), "%q", one[0])
}
