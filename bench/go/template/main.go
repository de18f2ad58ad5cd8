// Anchor for bench/template.bench.ts: parses and executes each template case of the benchmark set
// with Go's text/template and prints per-op times as JSON. Stdlib only.
//
//	template-bench <spec.json>
//
// spec.json is a list of cases: {"name", "data" (JSON file), "templates" ([[name, file], ...], the
// first is the main template, the others are made with t.New(name)), "nParse", "nExec"}.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
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

type spec struct {
	Name      string      `json:"name"`
	Data      string      `json:"data"`
	Templates [][2]string `json:"templates"`
	NParse    int         `json:"nParse"`
	NExec     int         `json:"nExec"`
}

type result struct {
	Name       string  `json:"name"`
	ParseNs    float64 `json:"parseNs"`
	ExecNs     float64 `json:"execNs"`
	ParseCPUNs float64 `json:"parseCpuNs"`
	ExecCPUNs  float64 `json:"execCpuNs"`
	Output     string  `json:"output"`
}

// cpuNs is the process's user+system CPU time (all threads, GC included), like Node's
// process.cpuUsage(): on a shared machine it does not count the time spent waiting for a core.
func cpuNs() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func read(name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func run(c spec) result {
	texts := make([]string, len(c.Templates))
	for i, t := range c.Templates {
		texts[i] = read(t[1])
	}
	parse := func() *template.Template {
		t := template.Must(template.New(c.Templates[0][0]).Funcs(funcs).Parse(texts[0]))
		for i := 1; i < len(texts); i++ {
			template.Must(t.New(c.Templates[i][0]).Parse(texts[i]))
		}
		return t
	}
	dec := json.NewDecoder(strings.NewReader(read(c.Data)))
	dec.UseNumber()
	var data any
	if err := dec.Decode(&data); err != nil {
		panic(err)
	}
	data = convert(data)

	for i := 0; i < c.NParse/10; i++ {
		parse()
	}
	t0, c0 := time.Now(), cpuNs()
	for i := 0; i < c.NParse; i++ {
		parse()
	}
	parseNs := float64(time.Since(t0).Nanoseconds()) / float64(c.NParse)
	parseCPU := float64(cpuNs()-c0) / float64(c.NParse)

	t := parse()
	var buf bytes.Buffer
	for i := 0; i < c.NExec/10; i++ {
		buf.Reset()
		if err := t.Execute(&buf, data); err != nil {
			panic(err)
		}
	}
	t1, c1 := time.Now(), cpuNs()
	for i := 0; i < c.NExec; i++ {
		buf.Reset()
		_ = t.Execute(&buf, data)
	}
	execNs := float64(time.Since(t1).Nanoseconds()) / float64(c.NExec)
	execCPU := float64(cpuNs()-c1) / float64(c.NExec)
	return result{c.Name, parseNs, execNs, parseCPU, execCPU, buf.String()}
}

func main() {
	var cases []spec
	if err := json.Unmarshal([]byte(read(os.Args[1])), &cases); err != nil {
		panic(err)
	}
	out := make([]result, 0, len(cases))
	for _, c := range cases {
		out = append(out, run(c))
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
