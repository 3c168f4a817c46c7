package experiments

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Run statuses in a sweep's tables.
const (
	StatusOK      = "ok"      // the run ended and every invariant held
	StatusFailed  = "failed"  // the run panicked, could not be built, or broke an invariant
	StatusInvalid = "invalid" // the point's scenario failed validation: not run
)

// RunRecord is the result of one run of a sweep, kept in DIR/runs/KEY.json: what makes a sweep
// directory resumable and mergeable. It holds nothing of wall-clock time, so that the same run
// gives the same file on any machine and at any parallelism.
type RunRecord struct {
	Key     string `json:"key"`
	Version string `json:"stretchsim"`
	Seed    uint64 `json:"seed"`
	Status  string `json:"status"` // StatusOK or StatusFailed
	Message string `json:"message"`
	// Summary is the run's summary as JSON without wall_seconds (SummaryJSON); null when the
	// run produced none (it panicked).
	Summary json.RawMessage `json:"summary"`
	// Scenario is the resolved scenario, seed included: `stretchsim run` replays it.
	Scenario string `json:"scenario"`
}

// SummaryJSON encodes s as one line of JSON, as WriteJSON does but without wall_seconds, the one
// wall-clock figure: equal runs give equal bytes.
func SummaryJSON(s *Summary) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	// The outer field, shallower than the embedded one, hides it; nil and omitempty drop it.
	err := enc.Encode(struct {
		*Summary
		WallSeconds *float64 `json:"wall_seconds,omitempty"`
	}{Summary: s})
	return bytes.TrimSpace(b.Bytes()), err
}

// recordPath is where the record of run key lives in dir.
func recordPath(dir, key string) string { return filepath.Join(dir, "runs", key+".json") }

// seriesPath is where the time series of run key lives in dir (sweeps run with Series).
func seriesPath(dir, key string) string { return filepath.Join(dir, "series", key+".csv") }

// readRecord reads the record of run key from dir; ok is false when there is none, or when the
// file is not a record of that key (then the run is run again).
func readRecord(dir, key string) (rec *RunRecord, ok bool, err error) {
	data, err := os.ReadFile(recordPath(dir, key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	rec = &RunRecord{}
	if json.Unmarshal(data, rec) != nil || rec.Key != key || (rec.Status != StatusOK && rec.Status != StatusFailed) {
		return nil, false, nil
	}
	return rec, true, nil
}

// writeRecord writes rec into dir atomically.
func writeRecord(dir string, rec *RunRecord) error {
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(recordPath(dir, rec.Key), func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// writeFileAtomic writes name through write into a temporary file beside it, then renames it
// into place: a reader (or a sweep resumed after a kill) sees the whole file or none.
func writeFileAtomic(name string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-"+filepath.Base(name)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = f.Chmod(0o644) // CreateTemp's 0600 is for secrets; results are shared
	if err == nil {
		err = write(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
