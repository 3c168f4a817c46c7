package deploy

import (
	"fmt"
	"strconv"
	"strings"
)

// problems collects what is wrong with a set of deployment files.
type problems []string

func (p *problems) addf(format string, a ...any) { *p = append(*p, fmt.Sprintf(format, a...)) }

// invocation is a parsed stretchsim command line: the command, its flags and its positional
// arguments.
type invocation struct {
	command string
	flags   map[string][]string
	args    []string
}

// valueFlags are the flags of sweep and merge that take a value.
var valueFlags = map[string]bool{
	"--out": true, "--shard": true, "--parallel": true, "--set": true, "--axis": true,
	"--replications": true,
}

// parseInvocation parses the arguments of the stretchsim binary (flags as --name value or
// --name=value).
func parseInvocation(argv []string) (invocation, error) {
	inv := invocation{flags: map[string][]string{}}
	if len(argv) == 0 {
		return inv, fmt.Errorf("no arguments")
	}
	inv.command = argv[0]
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		if !strings.HasPrefix(a, "-") {
			inv.args = append(inv.args, a)
			continue
		}
		name, value, inline := strings.Cut(a, "=")
		if !inline && valueFlags[name] {
			if i+1 == len(argv) {
				return inv, fmt.Errorf("%s has no value", name)
			}
			i++
			value = argv[i]
		}
		inv.flags[name] = append(inv.flags[name], value)
	}
	return inv, nil
}

// flag returns the one value of a flag given exactly once.
func (inv invocation) flag(name string) (string, error) {
	switch v := inv.flags[name]; len(v) {
	case 1:
		return v[0], nil
	case 0:
		return "", fmt.Errorf("stretchsim %s has no %s", inv.command, name)
	default:
		return "", fmt.Errorf("stretchsim %s has %s %d times", inv.command, name, len(v))
	}
}

// parseShard parses the --shard I/N value of a sweep.
func parseShard(inv invocation) (shard, error) {
	v, err := inv.flag("--shard")
	if err != nil {
		return shard{}, err
	}
	is, ns, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil {
		return shard{}, fmt.Errorf("--shard %q is not I/N", v)
	}
	return shard{i, n}, nil
}
