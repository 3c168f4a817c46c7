package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// viridisControls are ten colours of matplotlib's viridis, a sequential palette that is
// perceptually uniform, readable by colour-blind readers and monotonic in lightness (so it
// survives greyscale print): dark blue for low values, yellow for high.
var viridisControls = []color.Color{
	rgb(0x440154), rgb(0x482878), rgb(0x3E4A89), rgb(0x31688E), rgb(0x26828E),
	rgb(0x1F9E89), rgb(0x35B779), rgb(0x6DCD59), rgb(0xB4DE2C), rgb(0xFDE725),
}

// viridis returns the viridis colour map over [lo, hi], lo < hi.
func viridis(lo, hi float64) palette.ColorMap {
	cm := must(moreland.NewLuminance(viridisControls))
	cm.SetMin(lo)
	cm.SetMax(hi)
	return cm
}

// luminance is the relative luminance of c (WCAG 2), 0 for black to 1 for white.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// textOn returns the colour of text written on background bg: black on light, white on dark,
// whichever contrasts more.
func textOn(bg color.Color) color.Color {
	// Black and white contrast equally at luminance 0.179 (WCAG contrast ratios).
	if luminance(bg) > 0.179 {
		return color.Black
	}
	return color.White
}
