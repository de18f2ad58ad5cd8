// Anchor for bench/template.bench.ts: parses and executes the same K3s-sized containerd config
// template with Go's text/template and prints per-op times as JSON. Stdlib only.
//
//	template-bench <fixture dir> <parse iterations> <exec iterations>
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"
)

var funcs = template.FuncMap{
	"deschemify": func(s string) string { return s },
	"toJson": func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	},
	"filepathjoin": filepath.Join,
}

// convert applies the corpus number convention: integral numbers are int, others float64.
func convert(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := x.String()
		if !strings.ContainsAny(s, ".eE") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n <= 1<<53-1 && n >= -(1<<53-1) {
				return int(n)
			}
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = convert(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = convert(e)
		}
		return x
	}
	return v
}

func parse(user, base string) *template.Template {
	t := template.Must(template.New("compiled_template").Funcs(funcs).Parse(user))
	template.Must(t.New("base").Parse(base))
	return t
}

func main() {
	dir := os.Args[1]
	nParse, _ := strconv.Atoi(os.Args[2])
	nExec, _ := strconv.Atoi(os.Args[3])
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			panic(err)
		}
		return string(b)
	}
	user, base := read("fixture-user.tmpl"), read("fixture.tmpl")
	dec := json.NewDecoder(strings.NewReader(read("fixture.json")))
	dec.UseNumber()
	var data any
	if err := dec.Decode(&data); err != nil {
		panic(err)
	}
	data = convert(data)

	for i := 0; i < nParse/10; i++ {
		parse(user, base)
	}
	t0 := time.Now()
	for i := 0; i < nParse; i++ {
		parse(user, base)
	}
	parseNs := float64(time.Since(t0).Nanoseconds()) / float64(nParse)

	t := parse(user, base)
	var buf bytes.Buffer
	for i := 0; i < nExec/10; i++ {
		buf.Reset()
		if err := t.Execute(&buf, data); err != nil {
			panic(err)
		}
	}
	t1 := time.Now()
	for i := 0; i < nExec; i++ {
		buf.Reset()
		_ = t.Execute(&buf, data)
	}
	execNs := float64(time.Since(t1).Nanoseconds()) / float64(nExec)
	out, _ := json.Marshal(map[string]any{"parseNs": parseNs, "execNs": execNs, "output": buf.String()})
	fmt.Println(string(out))
}
