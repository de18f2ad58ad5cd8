// Oracle for k3s-node-kit's template engine: renders Go text/template cases given as JSON on
// stdin and prints the results as JSON, so tests can compare our engine with real Go.
//
// Input:  {"cases": [{"templates": [["name", "text"], ...], "data": ..., "funcs": ["deschemify"],
//          "options": ["missingkey=zero"], "delims": ["[[", "]]"], "exec": "", "struct": "root"}]}
// With "struct": "root" the data is decoded into the Go struct type Root below (plain
// encoding/json rules) and the Root value is the dot, so tests can compare Go struct semantics.
// Output: [{"ok": true, "out": "..."} | {"ok": false, "phase": "parse|exec|panic", "err": "..."}]
//
// Numbers follow the shared corpus convention: integral JSON numbers within +-(2^53-1) are int,
// others float64, and {"$float": n} is float64. Stdlib only.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

type input struct {
	Cases []struct {
		Templates [][2]string     `json:"templates"`
		Data      json.RawMessage `json:"data"`
		Funcs     []string        `json:"funcs"`
		Options   []string        `json:"options"`
		Delims    []string        `json:"delims"`
		Exec      string          `json:"exec"`
		Struct    string          `json:"struct"`
	} `json:"cases"`
}

// A small fixed set of struct types, shaped like K3s's containerd template dot (a value struct
// holding a pointer to a struct with nested struct values, pointers, slices and maps).
type Inner struct {
	Name string
	On   bool
	Tags []string
}

type Pair struct {
	A string
	B int
}

type Node struct {
	Name   string
	Flag   bool
	Count  int
	Inner  *Inner
	Nil    *Inner
	Val    Inner
	List   []string
	Labels map[string]string
	Items  map[string]Inner
	P      Pair
	Q      Pair
	R      Pair
}

type Root struct {
	Node  *Node
	Nil   *Node
	Title string
	Empty bool
	Any   any
}

type result struct {
	OK    bool   `json:"ok"`
	Out   string `json:"out"`
	Phase string `json:"phase,omitempty"`
	Err   string `json:"err,omitempty"`
}

var k3sFuncs = template.FuncMap{
	"deschemify": func(s string) string { return s },
	"toJson": func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	},
	"filepathjoin": filepath.Join,
}

func convert(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := x.String()
		if !strings.ContainsAny(s, ".eE") {
			var n int64
			if _, err := fmt.Sscan(s, &n); err == nil && n <= 1<<53-1 && n >= -(1<<53-1) {
				return int(n)
			}
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		if len(x) == 1 {
			if f, ok := x["$float"]; ok {
				if n, ok := f.(json.Number); ok {
					v, _ := n.Float64()
					return v
				}
			}
		}
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

func render(templates [][2]string, data any, funcs []string, options []string, delims []string, exec string) (res result) {
	phase := "panic"
	defer func() {
		if r := recover(); r != nil {
			res = result{OK: false, Phase: phase, Err: fmt.Sprint(r)}
		}
	}()
	root := template.New(templates[0][0])
	if len(delims) == 2 {
		root.Delims(delims[0], delims[1])
	}
	fm := template.FuncMap{}
	for _, f := range funcs {
		fm[f] = k3sFuncs[f]
	}
	root.Funcs(fm)
	for _, o := range options {
		root.Option(o)
	}
	phase = "parse"
	if _, err := root.Parse(templates[0][1]); err != nil {
		return result{Phase: phase, Err: err.Error()}
	}
	for _, t := range templates[1:] {
		if _, err := root.New(t[0]).Parse(t[1]); err != nil {
			return result{Phase: phase, Err: err.Error()}
		}
	}
	phase = "exec"
	var buf bytes.Buffer
	var err error
	if exec != "" {
		err = root.ExecuteTemplate(&buf, exec, data)
	} else {
		err = root.Execute(&buf, data)
	}
	if err != nil {
		return result{Phase: phase, Err: err.Error()}
	}
	return result{OK: true, Out: buf.String()}
}

func main() {
	dec := json.NewDecoder(os.Stdin)
	dec.UseNumber()
	var in input
	if err := dec.Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	out := make([]result, 0, len(in.Cases))
	for _, c := range in.Cases {
		var data any
		if len(c.Data) > 0 {
			d := json.NewDecoder(bytes.NewReader(c.Data))
			d.UseNumber()
			if err := d.Decode(&data); err != nil {
				fmt.Fprintln(os.Stderr, "bad data:", err)
				os.Exit(2)
			}
		}
		if c.Struct == "root" {
			var r Root
			if err := json.Unmarshal(c.Data, &r); err != nil {
				fmt.Fprintln(os.Stderr, "bad struct data:", err)
				os.Exit(2)
			}
			out = append(out, render(c.Templates, r, c.Funcs, c.Options, c.Delims, c.Exec))
			continue
		}
		out = append(out, render(c.Templates, convert(data), c.Funcs, c.Options, c.Delims, c.Exec))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
