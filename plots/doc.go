// Package plots draws the charts of stretchsim's reports from plain series. It knows nothing of
// Kafka, the model or the simulator (design §1): a chart is data (points, bands, labels) and
// options, and each kind renders to SVG or PNG through an io.Writer with gonum.org/v1/plot.
//
// The chart kinds, and what each shows:
//
//   - Lines: a figure against one axis, one line per Series (a value of a second axis), each
//     point with an optional 95 % confidence interval drawn as a band or error bars.
//   - Facets: small multiples, one Lines panel per value of a third axis, sharing the y range.
//   - Heatmap: a figure over two axes, its value printed in each cell; a NaN cell is drawn as
//     invalid (hatched or grey, labelled).
//   - Timeline: stacked panels over simulated time sharing one x axis; shaded, labelled Windows
//     (faults) on every panel, and Marks (the end of the warm-up) as vertical lines.
//
// Each kind checks itself (Validate, every problem at once), renders (SVG, PNG; a zero Size is
// its DefaultSize) and returns its content as text (Data, for the report's tables). Series are
// told apart by colour (Okabe–Ito) and by glyph or dash pattern, so charts survive greyscale
// print; legends sit beside the data, never on it. To look at one chart of each kind drawn
// from realistic data:
//
//	go test ./plots/ -run TestDemo -demo /tmp/plots
package plots
