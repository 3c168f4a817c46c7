package experiments

import (
	_ "embed"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"time"
)

// The report is one self-contained HTML file: inline CSS, inline SVG charts and a small inline
// script that sorts the tables. It loads nothing, so it opens from disk or as an attachment.

//go:embed report_template.html
var reportTemplateText string

var reportTemplate = template.Must(template.New("report").Parse(reportTemplateText))

// ReportOptions tune a report.
type ReportOptions struct {
	// Version is the stretchsim version that renders the report (see cmd/stretchsim/version.go).
	Version string
	// Now is the date the report gives as rendered; zero means time.Now.
	Now time.Time
	// PlotsFile (a sweep's report) is the sweep file whose key plots: lists the charts; ""
	// means the copy in the sweep directory (SweepYAML), and the default charts without one.
	PlotsFile string
}

func (o ReportOptions) now() time.Time {
	if o.Now.IsZero() {
		return time.Now().UTC()
	}
	return o.Now.UTC()
}

// reportPage is what the template renders.
type reportPage struct {
	Title       string
	Subtitle    string
	Lede        string
	Headline    []keyValue
	Charts      []pageChart
	ChartsNote  string
	Tables      []pageTable
	SourceTitle string
	Source      string
	Provenance  []keyValue
}

type keyValue struct{ Key, Value string }

type pageChart struct {
	ID, Title, Caption string
	Wide               bool // spans the page (a timeline, small multiples)
	SVG                template.HTML
	Files              []string // charts/NAME.svg, charts/NAME.png
}

type pageTable struct {
	ID, Title, Note string
	Head            []string
	Rows            [][]pageCell
}

// pageCell is a table cell: its text for people, and the value it sorts by (a number as
// written, "" for none).
type pageCell struct {
	Text, Sort string
	Num        bool // right-aligned
	Lines      bool // text of several lines, kept as written (fault schedules)
}

// writeReport renders page with charts into dir: report.html, and charts/*.svg and *.png.
func writeReport(dir string, page *reportPage, charts []ReportChart) error {
	svgs := make([][]byte, len(charts))
	for i, c := range charts {
		svgs[i] = renderSVG(c)
		page.Charts = append(page.Charts, pageChart{
			ID: "chart-" + c.Name, Title: c.Title, Caption: c.Caption, Wide: c.Size.Width > sizeLines.Width,
			SVG:   template.HTML(svgs[i]), // made by package plots from our own data: no user HTML
			Files: []string{ChartsDir + "/" + c.Name + ".svg", ChartsDir + "/" + c.Name + ".png"},
		})
	}
	if err := writeChartFiles(dir, charts, svgs); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, ReportHTML), func(w io.Writer) error {
		return reportTemplate.Execute(w, page)
	})
}

// readOptional returns the file's content, or nil when it does not exist.
func readOptional(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil, nil
	}
	return data, err
}
