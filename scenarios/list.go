package scenarios

import (
	"bufio"
	"bytes"
	"io/fs"
	"strings"
)

// Example is one embedded scenario.
type Example struct {
	Name        string // the file name without ".yaml": what `stretchsim run NAME` takes
	File        string // the name in FS
	Description string // the first sentence of the file's leading comment
}

// List returns the embedded scenarios in name order.
func List() ([]Example, error) {
	files, err := fs.Glob(FS, "*.yaml")
	if err != nil {
		return nil, err
	}
	var out []Example
	for _, f := range files { // fs.Glob sorts
		data, err := fs.ReadFile(FS, f)
		if err != nil {
			return nil, err
		}
		out = append(out, Example{Name: strings.TrimSuffix(f, ".yaml"), File: f, Description: description(data)})
	}
	return out, nil
}

// Lookup returns the name in FS of the embedded scenario called name ("three-site"), if any.
func Lookup(name string) (string, bool) {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return "", false
	}
	file := name + ".yaml"
	if _, err := fs.Stat(FS, file); err != nil {
		return "", false
	}
	return file, true
}

// description returns the first sentence of the comment lines that open data, on one line.
func description(data []byte) string {
	var text []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "#")
		if !ok {
			break
		}
		text = append(text, strings.TrimSpace(line))
	}
	all := strings.Join(text, " ")
	if i := strings.Index(all+" ", ". "); i >= 0 {
		return all[:i+1]
	}
	return all
}
