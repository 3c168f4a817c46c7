package plots

// Series is one line: points (X[i], Y[i]), and when Lo and Hi are set (same length as Y), the
// interval [Lo[i], Hi[i]] around each point (a 95 % confidence interval). A NaN Y is a gap.
type Series struct {
	Label  string
	X, Y   []float64
	Lo, Hi []float64
	// Step draws the line as steps (a value that holds until the next sample), for counts.
	Step bool
}

// Axis names an axis and says how to scale it.
type Axis struct {
	Label string // with the unit, e.g. "inter-site RTT (ms)"
	Log   bool   // logarithmic scale (values must be positive)
}

// Lines is a figure against one axis, one line per Series.
type Lines struct {
	Title  string
	X, Y   Axis
	Series []Series
	// Bands draws intervals as shaded bands; false draws them as error bars.
	Bands bool
}

// Facets are small multiples: one Lines per panel (its Title names the panel's value), laid out
// in a grid, sharing the y range so that panels compare.
type Facets struct {
	Title  string
	Panels []Lines
}

// Heatmap is a figure over two axes with its value printed in each cell. Values[j][i] is the
// cell of XTicks[i] and YTicks[j]; NaN is an invalid point, drawn as such with InvalidLabel.
type Heatmap struct {
	Title          string
	X, Y           Axis
	XTicks, YTicks []string
	Values         [][]float64
	// Format writes a cell's value; nil means 3 significant digits.
	Format       func(float64) string
	InvalidLabel string // default "invalid"
}

// Window is a shaded, labelled interval of the x axis (a fault), drawn on every panel.
type Window struct {
	From, To float64
	Label    string
}

// Mark is a labelled vertical line (the end of the warm-up).
type Mark struct {
	X     float64
	Label string
}

// Panel is one panel of a Timeline: its own y axis and lines.
type Panel struct {
	Y      Axis
	Series []Series
}

// Timeline is stacked panels over one shared x axis (simulated time), each showing every Window
// and Mark.
type Timeline struct {
	Title   string
	X       Axis
	Panels  []Panel
	Windows []Window
	Marks   []Mark
}

// Size is a chart's size in centimetres ("vg.Length" units are left to the implementation); a
// zero Size is the chart's DefaultSize.
type Size struct{ Width, Height float64 }

// Chart is any chart of this package. Lines, Facets, Heatmap and Timeline each have, on a
// value receiver:
//
//	Kind() string                                  // "lines", "facets", "heatmap", "timeline"
//	DefaultSize() Size                             // what a zero Size means
//	Validate() error                               // every reason it cannot be drawn, joined
//	SVG(w io.Writer, size Size) error              // an SVG document
//	PNG(w io.Writer, size Size, dpi float64) error // a PNG image of size at dpi
//	Data() []Table                                 // its content as text, for the report's tables
//
// SVG and PNG fail only on a chart that Validate refuses (nothing to draw: no series, no
// point, every value NaN; mismatched lengths; a value that is not positive on a logarithmic
// axis), a size or resolution that is not positive, or a writer error; they never panic. The
// error names the chart (kind and title), the panel and the series. A caller that keeps
// charts in a slice declares the interface it needs.
