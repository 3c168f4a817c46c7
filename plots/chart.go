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

// Size is a chart's size in centimetres ("vg.Length" units are left to the implementation).
type Size struct{ Width, Height float64 }

// Chart is any chart of this package. SVG and PNG render it at size; they fail only on a
// chart with no data to draw or a writer error. Data returns the chart's content for tests and
// for the report's tables.
//
//	SVG(w io.Writer, size Size) error
//	PNG(w io.Writer, size Size, dpi float64) error
//
// Lines, Facets, Heatmap and Timeline implement it.
