// Command oracle renders the conformance cases with Go's own text/template and writes what Go
// produced for each (output, or the failure with its phase and message) as JSON.
//
//	go run ./test/conformance/oracle test/conformance/cases > test/conformance/expected/go.json
//
// It reads every *.json case file in the directory plus data.json (struct types, shared data,
// function sets); the JSON data convention is described in ../README.md. Stdlib only.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"text/template"
	"unicode/utf8"
)

// The struct types data.json declares, as Go types. The oracle checks that data.json's field
// lists match these declarations exactly (name, order, type).
type U struct{ V string }

type V struct{}

type T struct {
	True            bool
	I               int
	X, S            string
	FloatZero       float64
	U               *U
	SI, SICap       []int
	SIEmpty         []int
	SB              []bool
	AI              []int
	MSI, MSIone     map[string]int
	MSIEmpty        map[string]int
	SMSI            []map[string]int
	Empty0, Empty1  any
	Empty2, Empty3  any
	Empty4          any
	NIL             *U
	BinaryFunc      func(string, string) string
	VariadicFunc    func(...string) string
	VariadicFuncInt func(int, ...string) string
	ErrFunc         func() string
	PanicFunc       func() string
}

type Cmp struct {
	Uthree, Ufour, NegOne, Three int
	Ptr, NilPtr                  *U
	NonNilMap, Map               map[string]int
	V1, V2                       V
	Iface1, NilIface             any
}

type Str struct{ Str string }

var structTypes = map[string]reflect.Type{
	"main.U":   reflect.TypeOf(U{}),
	"main.V":   reflect.TypeOf(V{}),
	"main.T":   reflect.TypeOf(T{}),
	"main.Cmp": reflect.TypeOf(Cmp{}),
	"main.Str": reflect.TypeOf(Str{}),
}

var dataFuncs = map[string]any{
	"binary":      func(a, b string) string { return fmt.Sprintf("[%s=%s]", a, b) },
	"variadic":    func(s ...string) string { return fmt.Sprint("<", strings.Join(s, "+"), ">") },
	"variadicInt": func(a int, s ...string) string { return fmt.Sprint(a, "=<", strings.Join(s, "+"), ">") },
	"bla":         func() string { return "bla" },
	"panic":       func() string { panic("test panic") },
}

// Extra template funcs a case may register by name (README lists their behaviour).
var extraFuncs = template.FuncMap{
	"add": func(args ...int) int {
		s := 0
		for _, x := range args {
			s += x
		}
		return s
	},
	// exec_test.go's count returns a channel; a []string ranges the same way and is JSON-friendly.
	"count": func(n int) []string {
		out := []string{}
		for i := 0; i < n; i++ {
			out = append(out, "abcdefghijklmnop"[i:i+1])
		}
		return out
	},
	"dddArg":      func(a int, b ...string) string { return fmt.Sprintln(a, b) },
	"die":         func() bool { panic("die") },
	"echo":        func(a any) any { return a },
	"makemap":     makemap,
	"mapOfThree":  func() any { return map[string]int{"three": 3} },
	"oneArg":      func(a string) string { return "oneArg=" + a },
	"returnInt":   func() int { return 7 },
	"twoArgs":     func(a, b string) string { return "twoArgs=" + a + b },
	"typeOf":      func(a any) string { return fmt.Sprintf("%T", a) },
	"valueString": func(string) string { return "value is ignored" },
	"zeroArgs":    func() string { return "zeroArgs" },
	"contains":    strings.Contains,
	"deschemify":  func(s string) string { return s },
	"toJson": func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	},
	"filepathjoin": filepath.Join,
	"failWith":     func(m string) (string, error) { return "", errors.New(m) },
	"myError": func(b bool) (bool, error) {
		if b {
			return true, errors.New("my error")
		}
		return false, nil
	},
	"upper": strings.ToUpper,
}

func makemap(arg ...string) map[string]string {
	if len(arg)%2 != 0 {
		panic("bad makemap")
	}
	m := map[string]string{}
	for i := 0; i < len(arg); i += 2 {
		m[arg[i]] = arg[i+1]
	}
	return m
}

type caseIn struct {
	Name      string          `json:"name"`
	Templates [][2]string     `json:"templates"`
	Template  *string         `json:"template"`
	Exec      string          `json:"exec"`
	Data      json.RawMessage `json:"data"`
	Funcs     json.RawMessage `json:"funcs"`
	Options   []string        `json:"options"`
	Delims    []string        `json:"delims"`
}

type dataFile struct {
	Types    map[string][][2]string     `json:"types"`
	Refs     map[string]json.RawMessage `json:"refs"`
	FuncSets map[string][]string        `json:"funcSets"`
}

type result struct {
	Name         string  `json:"name"`
	Expected     *string `json:"expected,omitempty"`
	Error        bool    `json:"error,omitempty"`
	ErrorPhase   string  `json:"errorPhase,omitempty"`
	ErrorMessage string  `json:"errorMessage,omitempty"`
	Partial      string  `json:"partialOutput,omitempty"`
	Addresses    bool    `json:"addresses,omitempty"`
}

var data dataFile

func fail(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "oracle: "+f+"\n", a...)
	os.Exit(1)
}

func decode(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: oracle CASES_DIR")
	}
	dir := os.Args[1]
	raw, err := os.ReadFile(filepath.Join(dir, "data.json"))
	if err != nil {
		fail("%v", err)
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		fail("data.json: %v", err)
	}
	checkTypes()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	sort.Strings(files)
	var results []result
	seen := map[string]bool{}
	for _, f := range files {
		if filepath.Base(f) == "data.json" {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			fail("%v", err)
		}
		var file struct {
			Cases []caseIn `json:"cases"`
		}
		if err := json.Unmarshal(raw, &file); err != nil {
			fail("%s: %v", f, err)
		}
		for _, c := range file.Cases {
			if seen[c.Name] {
				fail("duplicate case name %q", c.Name)
			}
			seen[c.Name] = true
			results = append(results, run(c))
		}
	}
	out := map[string]any{
		"go":      runtime.Version(),
		"comment": "Written by test/conformance/oracle (scripts/gen-template-conformance.sh); do not edit.",
		"results": results,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fail("%v", err)
	}
	fmt.Fprintf(os.Stderr, "oracle: %d cases (%s)\n", len(results), runtime.Version())
}

// checkTypes compares data.json's declared struct fields with the Go declarations above.
func checkTypes() {
	for name, fields := range data.Types {
		t, ok := structTypes[name]
		if !ok {
			fail("data.json declares unknown struct type %s", name)
		}
		if t.NumField() != len(fields) {
			fail("%s: %d fields in data.json, %d in Go", name, len(fields), t.NumField())
		}
		for i, f := range fields {
			g := t.Field(i)
			if g.Name != f[0] || g.Type.String() != f[1] {
				fail("%s field %d: data.json %s %s, Go %s %s", name, i, f[0], f[1], g.Name, g.Type)
			}
		}
	}
}

var (
	addrRE = regexp.MustCompile(`0x[0-9a-f]{6,}`)
	hexRE  = regexp.MustCompile(`0x[0-9a-f]+`)
)

func run(c caseIn) (res result) {
	res.Name = c.Name
	templates := c.Templates
	if c.Template != nil {
		if templates != nil {
			fail("%s: both template and templates", c.Name)
		}
		templates = [][2]string{{"main", *c.Template}}
	}
	if len(templates) == 0 {
		fail("%s: no templates", c.Name)
	}
	var dv any = nil
	if len(c.Data) > 0 {
		var j any
		if err := decode(c.Data, &j); err != nil {
			fail("%s: data: %v", c.Name, err)
		}
		v, err := build(j, anyType)
		if err != nil {
			fail("%s: data: %v", c.Name, err)
		}
		if v.IsValid() {
			dv = v.Interface()
		}
	}
	fm := template.FuncMap{}
	for _, n := range funcNames(c) {
		f, ok := extraFuncs[n]
		if !ok {
			fail("%s: unknown func %s", c.Name, n)
		}
		fm[n] = f
	}
	errOf := func(phase string, err error) result {
		res.Error, res.ErrorPhase, res.ErrorMessage = true, phase, err.Error()
		return res
	}
	defer func() {
		if r := recover(); r != nil {
			res = errOf("panic", fmt.Errorf("%v", r))
		}
	}()
	root := template.New(templates[0][0])
	if len(c.Delims) == 2 {
		root.Delims(c.Delims[0], c.Delims[1])
	}
	root.Funcs(fm)
	for _, o := range c.Options {
		root.Option(o)
	}
	if _, err := root.Parse(templates[0][1]); err != nil {
		return errOf("parse", err)
	}
	for _, t := range templates[1:] {
		if _, err := root.New(t[0]).Parse(t[1]); err != nil {
			return errOf("parse", err)
		}
	}
	var b bytes.Buffer
	var err error
	if c.Exec != "" {
		err = root.ExecuteTemplate(&b, c.Exec, dv)
	} else {
		err = root.Execute(&b, dv)
	}
	if err != nil {
		res = errOf("exec", err)
		res.Partial = b.String()
		return res
	}
	out := b.String()
	if !utf8.ValidString(out) {
		fail("%s: output is not valid UTF-8; change the case", c.Name)
	}
	if addrRE.MatchString(out) {
		// Go prints real addresses for pointers and funcs nested in a value; they change from
		// run to run. Every hex number in such an output is recorded as 0xADDR (the test does
		// the same to the engine's output for these cases).
		out = hexRE.ReplaceAllString(out, "0xADDR")
		res.Addresses = true
	}
	res.Expected = &out
	return res
}

func funcNames(c caseIn) []string {
	if len(c.Funcs) == 0 {
		return nil
	}
	var set string
	if json.Unmarshal(c.Funcs, &set) == nil {
		names, ok := data.FuncSets[set]
		if !ok {
			fail("%s: unknown func set %s", c.Name, set)
		}
		return names
	}
	var names []string
	if err := json.Unmarshal(c.Funcs, &names); err != nil {
		fail("%s: funcs: %v", c.Name, err)
	}
	return names
}

var anyType = reflect.TypeOf((*any)(nil)).Elem()

// parseType reads the Go type names the JSON convention uses.
func parseType(s string) (reflect.Type, error) {
	switch s {
	case "int":
		return reflect.TypeOf(0), nil
	case "string":
		return reflect.TypeOf(""), nil
	case "bool":
		return reflect.TypeOf(false), nil
	case "float64":
		return reflect.TypeOf(0.0), nil
	case "interface {}", "any":
		return anyType, nil
	}
	if strings.HasPrefix(s, "[]") {
		e, err := parseType(s[2:])
		if err != nil {
			return nil, err
		}
		return reflect.SliceOf(e), nil
	}
	if strings.HasPrefix(s, "map[string]") {
		e, err := parseType(s[len("map[string]"):])
		if err != nil {
			return nil, err
		}
		return reflect.MapOf(reflect.TypeOf(""), e), nil
	}
	if strings.HasPrefix(s, "*") {
		e, err := parseType(s[1:])
		if err != nil {
			return nil, err
		}
		return reflect.PointerTo(e), nil
	}
	if t, ok := structTypes[s]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("unknown type %q", s)
}

// build turns decoded JSON into a Go value of static type t (README: data convention).
func build(j any, t reflect.Type) (reflect.Value, error) {
	switch x := j.(type) {
	case nil:
		return reflect.Zero(t), nil
	case bool, string:
		return assign(reflect.ValueOf(x), t)
	case json.Number:
		if i, err := x.Int64(); err == nil && math.Abs(float64(i)) <= 1<<53-1 {
			return assign(reflect.ValueOf(int(i)), t)
		}
		f, err := x.Float64()
		if err != nil {
			return reflect.Value{}, err
		}
		return assign(reflect.ValueOf(f), t)
	case []any:
		st := t
		if t.Kind() == reflect.Interface {
			st = reflect.TypeOf([]any{})
		}
		if st.Kind() != reflect.Slice {
			return reflect.Value{}, fmt.Errorf("array for %s", t)
		}
		// len == cap: Go 1.19's index checks against cap, the engine knows only len.
		s := reflect.MakeSlice(st, len(x), len(x))
		for i, e := range x {
			v, err := build(e, st.Elem())
			if err != nil {
				return reflect.Value{}, err
			}
			s.Index(i).Set(v)
		}
		return assign(s, t)
	case map[string]any:
		if f, ok := x["$float"]; ok && len(x) == 1 {
			n, err := f.(json.Number).Float64()
			if err != nil {
				return reflect.Value{}, err
			}
			return assign(reflect.ValueOf(n), t)
		}
		if r, ok := x["$ref"]; ok && len(x) == 1 {
			raw, ok := data.Refs[r.(string)]
			if !ok {
				return reflect.Value{}, fmt.Errorf("unknown ref %v", r)
			}
			var j any
			if err := decode(raw, &j); err != nil {
				return reflect.Value{}, err
			}
			return build(j, t)
		}
		if f, ok := x["$func"]; ok && len(x) == 1 {
			fn, ok := dataFuncs[f.(string)]
			if !ok {
				return reflect.Value{}, fmt.Errorf("unknown func %v", f)
			}
			return assign(reflect.ValueOf(fn), t)
		}
		if n, ok := x["$nil"]; ok && len(x) == 1 {
			nt, err := parseType(n.(string))
			if err != nil {
				return reflect.Value{}, err
			}
			return assign(reflect.Zero(nt), t)
		}
		if ty, ok := x["$type"]; ok && len(x) == 2 {
			vt, err := parseType(ty.(string))
			if err != nil {
				return reflect.Value{}, err
			}
			v, err := build(x["value"], vt)
			if err != nil {
				return reflect.Value{}, err
			}
			return assign(v, t)
		}
		if sn, ok := x["$struct"]; ok && len(x) == 2 {
			name := sn.(string)
			st, ok := structTypes[strings.TrimPrefix(name, "*")]
			if !ok {
				return reflect.Value{}, fmt.Errorf("unknown struct %s", name)
			}
			fields, _ := x["fields"].([]any)
			if len(fields) != st.NumField() {
				return reflect.Value{}, fmt.Errorf("%s: %d fields given, %d declared", name, len(fields), st.NumField())
			}
			p := reflect.New(st)
			for i, f := range fields {
				pair := f.([]any)
				if pair[0].(string) != st.Field(i).Name {
					return reflect.Value{}, fmt.Errorf("%s: field %d is %s, not %v", name, i, st.Field(i).Name, pair[0])
				}
				v, err := build(pair[1], st.Field(i).Type)
				if err != nil {
					return reflect.Value{}, fmt.Errorf("%s.%v: %w", name, pair[0], err)
				}
				p.Elem().Field(i).Set(v)
			}
			if strings.HasPrefix(name, "*") {
				return assign(p, t)
			}
			return assign(p.Elem(), t)
		}
		for k := range x {
			if strings.HasPrefix(k, "$") {
				return reflect.Value{}, fmt.Errorf("unknown tag %s", k)
			}
		}
		mt := t
		if t.Kind() == reflect.Interface {
			mt = reflect.TypeOf(map[string]any{})
		}
		if mt.Kind() != reflect.Map {
			return reflect.Value{}, fmt.Errorf("object for %s", t)
		}
		m := reflect.MakeMapWithSize(mt, len(x))
		for k, e := range x {
			v, err := build(e, mt.Elem())
			if err != nil {
				return reflect.Value{}, err
			}
			m.SetMapIndex(reflect.ValueOf(k), v)
		}
		return assign(m, t)
	}
	return reflect.Value{}, fmt.Errorf("unexpected JSON %T", j)
}

// assign converts v to static type t (interfaces hold v as is; exact types only otherwise).
func assign(v reflect.Value, t reflect.Type) (reflect.Value, error) {
	if t.Kind() == reflect.Interface {
		out := reflect.New(t).Elem()
		out.Set(v)
		return out, nil
	}
	if v.Type() == t {
		return v, nil
	}
	if v.Kind() == reflect.Int && t.Kind() == reflect.Float64 {
		return v.Convert(t), nil
	}
	return reflect.Value{}, fmt.Errorf("%s value for a %s", v.Type(), t)
}
