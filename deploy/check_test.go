package deploy

import "fmt"

// problems collects what is wrong with a set of deployment files.
type problems []string

func (p *problems) addf(format string, a ...any) { *p = append(*p, fmt.Sprintf(format, a...)) }
