package plots

import (
	"reflect"
	"testing"
)

func TestLinesData(t *testing.T) {
	got := twoSeries(true).Data()
	want := []Table{{
		Header: []string{"RTT (ms)", "acks=1", "acks=all"},
		Rows: [][]string{
			{"1", "5.00 (4.00–6.00)", "10.0 (9.00–11.0)"},
			{"2", "6.00 (5.00–7.00)", "20.0 (18.0–22.0)"},
			{"3", "7.00 (6.00–8.00)", "NaN"},
			{"4", "", "40.0 (35.0–45.0)"},
		},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Data() = %q\nwant %q", got, want)
	}
}

func TestFacetsDataHasATablePerPanel(t *testing.T) {
	got := threePanels().Data()
	if len(got) != 3 || got[2].Title != "RF 5" || !reflect.DeepEqual(got[2].Rows[2], []string{"4", "4.00"}) {
		t.Errorf("Data() = %q", got)
	}
}

func TestHeatmapDataIsTheGridAsDrawn(t *testing.T) {
	got := isrByRF().Data()
	want := []Table{{
		Header: []string{`min.insync.replicas \ replication factor`, "3", "4", "5"},
		Rows: [][]string{
			{"4", "invalid", "0.250", "0.600"},
			{"3", "0.500", "0.750", "0.900"},
			{"2", "0.988", "1.00", "1.00"},
			{"1", "1.00", "1.00", "1.00"},
		},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Data() = %q\nwant %q", got, want)
	}
}

func TestTimelineDataListsPanelsWindowsAndMarks(t *testing.T) {
	got := faultRun().Data()
	if len(got) != 4 || got[1].Title != "partitions" || !reflect.DeepEqual(got[1].Header, []string{"simulated time (s)", "UnderReplicated", "Offline"}) {
		t.Fatalf("Data() = %q", got)
	}
	want := Table{Title: "windows and marks", Header: []string{"from", "to", "label"}, Rows: [][]string{
		{"130", "190", "site-outage dc-c"}, {"180", "200", "latency dc-a–dc-b"}, {"10", "", "end of warm-up"},
	}}
	if !reflect.DeepEqual(got[3], want) {
		t.Errorf("events = %q\nwant %q", got[3], want)
	}
}

func TestDataOfAMalformedChartDoesNotPanic(t *testing.T) {
	Lines{Series: []Series{{X: []float64{1, 2}, Y: []float64{1}, Lo: []float64{0}}}}.Data()
	Heatmap{XTicks: []string{"a"}, Values: [][]float64{{1, 2}, {3}}}.Data()
}
