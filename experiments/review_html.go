package experiments

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// WriteReviewReport writes the reviews as one self-contained HTML page to name: the verdict
// table first (one column per design, each verdict in words on its colour), then each design's
// baseline timeline (RunTimeline, inline SVG), then its baseline, limits, recommendations and
// cost.
func WriteReviewReport(name string, reviews []*DesignReview, opts ReviewOptions) error {
	opts.defaults()
	return writeFileAtomic(name, func(w io.Writer) error { return writeReviewHTML(w, reviews, opts) })
}

// verdictColour is the background of a verdict's cell; the word is always written too.
var verdictColour = map[string]string{VerdictOK: "#d9f2d9", VerdictDegraded: "#fff2b3", VerdictWritesStop: "#ffd1a3",
	VerdictControlPlaneDown: "#ffb3b3", VerdictDataLoss: "#e06666", VerdictRunFailed: "#cccccc"}

type reviewPage struct {
	Reviews []*DesignReview
	Rows    []reviewPageRow
	Opts    ReviewOptions
	Charts  []reviewPageChart
}

// reviewPageChart is one design's baseline timeline, as inline SVG.
type reviewPageChart struct {
	Scenario string
	SVG      template.HTML
}

type reviewPageRow struct {
	Failure string
	Cells   []reviewPageCell
}

type reviewPageCell struct {
	Verdict, Colour, Detail string
}

func writeReviewHTML(w io.Writer, reviews []*DesignReview, opts ReviewOptions) error {
	page := reviewPage{Reviews: reviews, Opts: opts}
	for _, name := range failureNames(reviews) {
		row := reviewPageRow{Failure: name}
		for _, r := range reviews {
			cell := reviewPageCell{Verdict: "-"}
			for _, f := range r.Failures {
				if f.Failure == name {
					cell = reviewPageCell{Verdict: f.Verdict, Colour: verdictColour[f.Verdict],
						Detail: fmt.Sprintf("%s; lost %d; longest wait %s; writable %s; reads %s; control plane %s", f.Why, f.AckedRecordsLost,
							waitText(f.MaxUnavailableSeconds), shareText(f.WritableFraction), yesNo(f.ReadsAvailable), controlText(f.ControllerUnavailableSeconds))}
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		page.Rows = append(page.Rows, row)
	}
	for _, r := range reviews {
		if c := r.baselineChart(); c != nil {
			// made by package plots from our own data: no user HTML
			page.Charts = append(page.Charts, reviewPageChart{Scenario: r.Scenario, SVG: template.HTML(renderSVG(*c))})
		}
	}
	return reviewTemplate.Execute(w, page)
}

// baselineChart is the timeline of the review's baseline run (RunTimeline), or nil when its
// series was not kept.
func (r *DesignReview) baselineChart() *ReportChart {
	if r.Baseline == nil || r.baseSer == nil || len(r.baseSer.Rows) == 0 {
		return nil
	}
	d := &RunData{Summary: *r.Baseline, Columns: r.baseSer.Columns, Series: r.baseSer.Rows, Scenario: r.sc}
	return &ReportChart{Name: "baseline-timeline", Title: r.Scenario + ": baseline timeline", Chart: RunTimeline(d)}
}

var reviewTemplate = template.Must(template.New("review").Funcs(template.FuncMap{
	"rate":  FormatRate,
	"money": moneyText,
	"num":   numText,
	"inc":   func(i int) int { return i + 1 },
	// wbr lets a long setting name break after its dots: "replica.<wbr>socket.<wbr>…".
	"wbr": func(s string) template.HTML {
		return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(s), ".", ".<wbr>"))
	},
	"pct": func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) },
	"top": bindingLimits,
	"gb":  func(v float64) string { return fmt.Sprintf("%.0f", v) },
	"css": func(s string) template.CSS { return template.CSS(s) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>stretchsim review</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:0.35em 0.6em;text-align:left;vertical-align:top;overflow-wrap:break-word}
td.num{text-align:right;white-space:nowrap}
th{background:#eee}
td.v{font-weight:bold}
td.v small{display:block;font-weight:normal;color:#333;max-width:28em}
.sat{background:#e06666;color:#fff;padding:0.4em;font-weight:bold}
.note{color:#555;font-size:0.9em}
.designs{display:flex;gap:2em;flex-wrap:wrap}
.designs>section{flex:1;min-width:30em}
.charts{display:flex;gap:1em;flex-wrap:wrap}
.charts>figure{flex:1;min-width:30em;margin:0}
.charts svg{width:100%;height:auto}
</style></head><body>
<h1>Design review</h1>
<p class="note">Each fault lasts {{.Opts.FaultDuration}} from {{.Opts.Lead}} after the warm-up; {{.Opts.Replications}} seed(s) per case, the worst shown; the runs go on {{.Opts.Recovery}} after the fault.
Verdicts, least severe first: ok, degraded (slower or briefly stalled, nothing lost), writes stop (acks=all refused through the fault), control plane down (no active controller through the fault), data loss (acknowledged records lost).</p>
<h2>Verdicts</h2>
<table><tr><th>failure</th>{{range .Reviews}}<th>{{.Scenario}}</th>{{end}}</tr>
{{range .Rows}}<tr><td>{{.Failure}}</td>{{range .Cells}}<td class="v" style="background:{{css .Colour}}">{{.Verdict}}<small>{{.Detail}}</small></td>{{end}}</tr>
{{end}}</table>
{{with .Charts}}<h2>Baselines</h2>
<p class="note">Each design's baseline run, without faults; a mark shows the end of the warm-up.</p>
<div class="charts">{{range .}}<figure>{{.SVG}}<figcaption class="note">{{.Scenario}}: the baseline run's timeline</figcaption></figure>{{end}}</div>{{end}}
<div class="designs">
{{range .Reviews}}<section><h2>{{.Scenario}}</h2><p class="note">{{.Design}}</p>
{{with .Saturation}}{{if .Saturated}}<p class="sat">SATURATED: the producers' backlog grows ({{range $i, $r := .Reasons}}{{if $i}}; {{end}}{{$r}}{{end}})</p>{{end}}
<p>Baseline without faults: offered {{rate .OfferedBytesPerSec}}, acknowledged {{rate .AckedBytesPerSec}}{{if not .Saturated}}: keeps up{{end}}.</p>{{end}}
{{with .Baseline}}{{with .Produce.LatencyMs}}<p>Produce latency ms: p50 {{num .P50}}, p99 {{num .P99}}, max {{num .Max}}.</p>{{end}}
<p>ISR churn: {{.ISR.Shrinks}} shrinks, {{.ISR.Expands}} expands.</p>{{end}}
<h3>Limits</h3>
{{with top .Limits}}<table><tr><th>mechanism</th><th>setting</th><th>where</th><th>share</th></tr>
{{range .}}<tr><td>{{.Mechanism}}</td><td>{{.Setting}}</td><td>{{.Where}}</td><td>{{pct .Share}}</td></tr>{{end}}</table>{{else}}<p>None reported.</p>{{end}}
<h3>Recommendations</h3>
{{with .Recommendations}}<table><tr><th>setting</th><th>value</th><th>why</th><th>figure</th><th>before</th><th>after</th></tr>
{{range .}}<tr><td>{{.Setting}}</td><td>{{.Value}}</td><td>{{.Why}}</td><td>{{.Figure}}</td><td class="num">{{num .Before}}</td><td class="num">{{num .After}}</td></tr>{{end}}</table>
{{else}}<p>{{if .Recommended}}None: no change tried helped, or none was called for.{{else if .RecommendCut}}None so far.{{else}}Not run (--no-recommend, or the review was interrupted before them).{{end}}</p>{{end}}
{{if .RecommendCut}}<p>Interrupted: the changes after these were not tried.</p>{{end}}
{{$r := .}}{{if and .Saturation .Pathed (or .Saturation.Saturated .Path)}}<h3>{{.PathTitleCap}}</h3>
{{with .Path}}<p class="note">Each step is re-run on top of the steps before it.</p>
<table><tr><th>step</th><th>setting</th><th>value</th><th>change</th><th>lifts</th><th>then</th></tr>
{{range $i, $s := .}}<tr><td class="num">{{inc $i}}</td><td>{{wbr $s.Setting}}</td><td>{{$s.Value}}</td><td>{{$s.Change}}</td><td>{{wbr $s.Lifted}}</td><td>{{if $s.Saturated}}{{if $s.Next}}{{wbr $s.Next}} binds{{end}}{{else}}keeps up{{end}}</td></tr>{{end}}</table>
<p>All together: <code>{{$r.PathSetFlags}}</code></p>
{{if $r.PathEndsSaturated}}<p>Still saturated: {{$r.PathNote}}.</p>{{end}}
{{else}}<p>None found: {{$r.PathNote}}.</p>{{end}}{{end}}
<h3>Cost</h3>
{{with .Cost}}<p>Cross-site traffic: US${{money .MonthlyUSD}} a month at ${{.PricePerGB}}/GB each way{{with .MonthlyUSDWithFollowerFetching}}; with follower fetching US${{money .}}{{end}}.</p>
<table><tr><th>site pair</th><th>GB/month</th><th>US$/month</th></tr>{{range .Pairs}}<tr><td>{{.Pair}}</td><td class="num">{{gb .GBPerMonth}}</td><td class="num">{{money .MonthlyUSD}}</td></tr>{{end}}</table>{{end}}
</section>{{end}}
</div>
</body></html>
`))
