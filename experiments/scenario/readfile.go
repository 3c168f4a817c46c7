package scenario

import (
	"fmt"
	"io"
	"os"
)

// MaxInputBytes bounds what a scenario, a sweep file or an empirical sample file may hold. The
// largest real inputs are sample files of a few hundred thousand RTTs (a few MB).
const MaxInputBytes = 64 << 20

// ReadRegularFile reads the whole of the regular file name, refusing anything else (a device
// such as /dev/zero, a FIFO, a directory), which could block or never end, and files larger
// than MaxInputBytes.
func ReadRegularFile(name string) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until something writes to it.
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if st.Size() > MaxInputBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d MiB an input may hold", name, st.Size(), MaxInputBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxInputBytes+1))
	if err == nil && len(data) > MaxInputBytes {
		err = fmt.Errorf("%s: more than the %d MiB an input may hold", name, MaxInputBytes>>20)
	}
	return data, err
}
