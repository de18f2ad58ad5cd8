// Oracle for test/integration/node/k3s-config.test.ts: parses `--x=value` arguments with the Go
// standard library flag package, which urfave/cli v2 (K3s's CLI library) uses for bool, int and
// duration flags (strconv.ParseBool, strconv.ParseInt(s, 0, 64), time.ParseDuration).
// Input on stdin: JSON [{"kind": "bool"|"int"|"duration", "arg": "--x=..."}]. Output: JSON
// [{"ok": bool, "value": string}] (value: Go's text of the parsed value).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
)

type query struct {
	Kind string `json:"kind"`
	Arg  string `json:"arg"`
}

type answer struct {
	OK    bool   `json:"ok"`
	Value string `json:"value"`
}

func main() {
	var qs []query
	if err := json.NewDecoder(os.Stdin).Decode(&qs); err != nil {
		panic(err)
	}
	out := make([]answer, 0, len(qs))
	for _, q := range qs {
		set := flag.NewFlagSet("k3s", flag.ContinueOnError)
		set.SetOutput(io.Discard)
		var b bool
		var i int
		switch q.Kind {
		case "bool":
			set.BoolVar(&b, "x", false, "")
		case "int":
			set.IntVar(&i, "x", 0, "")
		case "duration":
			set.Duration("x", 0, "")
		default:
			panic("kind " + q.Kind)
		}
		if err := set.Parse([]string{q.Arg}); err != nil {
			out = append(out, answer{OK: false})
			continue
		}
		v := ""
		switch q.Kind {
		case "bool":
			v = fmt.Sprint(b)
		case "int":
			v = fmt.Sprint(i)
		case "duration":
			v = fmt.Sprint(set.Lookup("x").Value.(flag.Getter).Get())
		}
		out = append(out, answer{OK: true, Value: v})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
