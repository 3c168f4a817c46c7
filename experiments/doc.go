// Package experiments runs scenarios and reports their results (design §1): Run and RunContext
// simulate one scenario.Scenario from its seed and summarize the measured window into a Summary;
// WriteText, WriteJSON and WriteSeriesCSV print it, and CheckOutDir and WriteOutDir keep it in a
// results directory. Sweeps, replications and the parallel runner build on Run.
//
// Scenario files — their format, decoding, --set overrides and validation — are package
// experiments/scenario's; this package knows only the decoded, validated Scenario.
package experiments
