package plots

import (
	"fmt"
	"slices"
	"strconv"
)

// Table is a chart's content as text, row by row: what the chart draws, for a report to print
// beside it (readable without the picture, by screen readers, and diffable).
type Table struct {
	Title  string // what the table covers: a panel's title or y label; "" for a whole chart
	Header []string
	Rows   [][]string
}

// Data returns the chart's points as one table: a row per x value (of any series, ascending),
// a column per series, each cell the y value with its interval, "value (lo–hi)"; "" where the
// series has no point at that x, "NaN" for a gap.
func (l Lines) Data() []Table {
	return []Table{seriesTable("", l.X.Label, l.Series)}
}

// Data returns a table per panel, as Lines' Data, titled with the panel's title.
func (f Facets) Data() []Table {
	out := make([]Table, len(f.Panels))
	for i, p := range f.Panels {
		out[i] = seriesTable(p.Title, p.X.Label, p.Series)
	}
	return out
}

// Data returns the grid as drawn: a row per y tick from the top (the last YTicks first), a
// column per x tick, each cell as written in the chart (InvalidLabel for NaN).
func (h Heatmap) Data() []Table {
	t := Table{Header: append([]string{h.Y.Label + " \\ " + h.X.Label}, h.XTicks...)}
	cs := h.cells(nil)
	for j := len(h.Values) - 1; j >= 0; j-- {
		row := []string{h.tick(h.YTicks, j)}
		for _, c := range cs.cells {
			if c.row == j {
				row = append(row, c.text)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return []Table{t}
}

// Data returns a table per panel, as Lines' Data, titled with the panel's y label, then the
// windows and marks: "from", "to", "label" (a mark's "to" is empty).
func (t Timeline) Data() []Table {
	var out []Table
	for _, p := range t.Panels {
		out = append(out, seriesTable(p.Y.Label, t.X.Label, p.Series))
	}
	events := Table{Title: "windows and marks", Header: []string{"from", "to", "label"}}
	for _, w := range t.Windows {
		events.Rows = append(events.Rows, []string{exact(w.From), exact(w.To), w.Label})
	}
	for _, m := range t.Marks {
		events.Rows = append(events.Rows, []string{exact(m.X), "", m.Label})
	}
	return append(out, events)
}

// seriesTable tabulates series by x: the first column is x (labelled xLabel), then one per
// series.
func seriesTable(title, xLabel string, ss []Series) Table {
	t := Table{Title: title, Header: []string{xLabel}}
	var xs []float64
	for _, s := range ss {
		t.Header = append(t.Header, s.Label)
		xs = append(xs, s.X...)
	}
	slices.Sort(xs)
	for _, x := range slices.Compact(xs) {
		row := []string{exact(x)}
		for _, s := range ss {
			row = append(row, s.cellAt(x))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// cellAt writes the first point of s at x, with its interval.
func (s Series) cellAt(x float64) string {
	i := slices.Index(s.X, x)
	if i < 0 || i >= len(s.Y) {
		return ""
	}
	v := sig3(s.Y[i])
	if len(s.Lo) == len(s.Y) && len(s.Hi) == len(s.Y) && finite(s.Lo[i]) && finite(s.Hi[i]) {
		v = fmt.Sprintf("%s (%s–%s)", v, sig3(s.Lo[i]), sig3(s.Hi[i]))
	}
	return v
}

// exact writes a coordinate as given: the x of a sweep is a setting, not a measurement.
func exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
