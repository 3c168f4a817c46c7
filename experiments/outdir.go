package experiments

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The files of a run's results directory (stretchsim run --out DIR).
const (
	SummaryFile = "summary.json" // the Summary, as WriteJSON writes it
	SeriesFile  = "series.csv"   // the time series, as WriteSeriesCSV writes it
)

// CheckOutDir creates the results directory dir if needed and proves it writable by creating
// and removing a file in it, so that a run that cannot keep its results fails before it starts.
// Its errors do not name dir, which the caller names as its user gave it.
func CheckOutDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the directory: %w", pathErrCause(err))
	}
	f, err := os.CreateTemp(dir, ".stretchsim-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write into the directory: %w", pathErrCause(err))
	}
	name := f.Name()
	err = f.Close()
	if rmErr := os.Remove(name); err == nil {
		err = rmErr
	}
	return err
}

// pathErrCause drops the *fs.PathError's own operation and path, which repeat (for a probe file,
// with a random name) what the message around it says.
func pathErrCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// WriteOutDir writes res into the results directory dir: SummaryFile and SeriesFile. It creates
// dir again if it went away during the run, and replaces files of an earlier run.
func WriteOutDir(dir string, res *Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, SummaryFile), func(w io.Writer) error { return WriteJSON(w, &res.Summary) }); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, SeriesFile), func(w io.Writer) error { return WriteSeriesCSV(w, res.Columns, res.Series) })
}

// writeFile creates the file name and writes it with fn.
func writeFile(name string, fn func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
