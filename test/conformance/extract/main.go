// Command extract reads Go's own text/template test tables (exec_test.go, multi_test.go,
// parse/parse_test.go, parse/lex_test.go) with go/parser and writes them as conformance case
// inputs (JSON) for the project's Go oracle and the TypeScript engine's corpus test.
//
//	go run ./test/conformance/extract [-src $(go env GOROOT)/src/text/template] > test/conformance/cases/upstream.json
//
// Only the inputs are taken (name, template text, data expression, the upstream test's expectation
// as information); the outputs come from running the oracle. Stdlib only.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// A case as the oracle and the TS test read it (see ../README.md).
type Case struct {
	Name      string         `json:"name"`
	Tags      []string       `json:"tags,omitempty"`
	Templates [][2]string    `json:"templates"`
	Data      any            `json:"data"`
	Funcs     string         `json:"funcs,omitempty"`
	Delims    []string       `json:"delims,omitempty"`
	Upstream  map[string]any `json:"upstream"`
}

// The functions exec_test.go's testExecute registers (as far as JSON-expressible; see README).
const execFuncs = "exec"

// pkg is one parsed Go package directory: its files and its top-level constants/variables.
type pkg struct {
	fset  *token.FileSet
	files map[string]*ast.File
	vals  map[string]ast.Expr
}

func load(dir string, names ...string) *pkg {
	p := &pkg{fset: token.NewFileSet(), files: map[string]*ast.File{}, vals: map[string]ast.Expr{}}
	for _, n := range names {
		f, err := parser.ParseFile(p.fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			fail("%v", err)
		}
		p.files[n] = f
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || (g.Tok != token.CONST && g.Tok != token.VAR) {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				if len(vs.Names) == len(vs.Values) {
					for i, id := range vs.Names {
						p.vals[id.Name] = vs.Values[i]
					}
				}
			}
		}
	}
	return p
}

func fail(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "extract: "+f+"\n", a...)
	os.Exit(1)
}

// Values that exec_test.go computes at run time (for a 64-bit int, as on amd64/arm64).
var computed = map[string]string{
	"bigInt":  "0x7fffffffffffffff",
	"bigUint": "0x8000000000000000",
}

// str evaluates a constant string expression: literals, `+`, and package-level names.
func (p *pkg) str(e ast.Expr) (string, error) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", fmt.Errorf("not a string literal: %s", x.Value)
		}
		return strconv.Unquote(x.Value)
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", fmt.Errorf("operator %s", x.Op)
		}
		a, err := p.str(x.X)
		if err != nil {
			return "", err
		}
		b, err := p.str(x.Y)
		return a + b, err
	case *ast.ParenExpr:
		return p.str(x.X)
	case *ast.Ident:
		if v, ok := computed[x.Name]; ok {
			return v, nil
		}
		if v, ok := p.vals[x.Name]; ok {
			return p.str(v)
		}
		return "", fmt.Errorf("unknown name %s", x.Name)
	}
	return "", fmt.Errorf("unsupported expression %s", p.src(e))
}

func (p *pkg) boolean(e ast.Expr) (bool, error) {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false, fmt.Errorf("not a bool: %s", p.src(e))
	}
	switch id.Name {
	case "true", "noError":
		return true, nil
	case "false", "hasError":
		return false, nil
	}
	return false, fmt.Errorf("not a bool: %s", id.Name)
}

func (p *pkg) src(e ast.Node) string {
	var b bytes.Buffer
	_ = printer.Fprint(&b, p.fset, e)
	return b.String()
}

// table returns the elements of the package-level `var name = []T{...}` and where each is.
func (p *pkg) table(file, name string) ([]*ast.CompositeLit, []string) {
	e, ok := p.vals[name]
	if !ok {
		fail("table %s not found", name)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		fail("table %s is not a composite literal", name)
	}
	var out []*ast.CompositeLit
	var pos []string
	for _, el := range lit.Elts {
		c, ok := el.(*ast.CompositeLit)
		if !ok {
			fail("%s: element is not a composite literal", name)
		}
		out = append(out, c)
		position := p.fset.Position(c.Pos())
		pos = append(pos, fmt.Sprintf("%s:%d", file, position.Line))
	}
	return out, pos
}

// dataFor maps an execTest data expression onto the JSON data convention (README). ok=false:
// not expressible; approx: expressible only with a different Go type.
func (p *pkg) dataFor(e ast.Expr) (data any, approx bool, err error) {
	s := p.src(e)
	switch s {
	case "nil":
		return nil, false, nil
	case "true":
		return true, false, nil
	case "tVal":
		return map[string]any{"$ref": "tVal"}, false, nil
	case "T{}":
		return map[string]any{"$ref": "T{}"}, false, nil
	case "tSliceOfNil":
		return map[string]any{"$ref": "tSliceOfNil"}, false, nil
	case "[]int{-1, -2, -3}":
		return map[string]any{"$type": "[]int", "value": []int{-1, -2, -3}}, false, nil
	case "uint(14)":
		return 14, true, nil
	}
	switch x := e.(type) {
	case *ast.CompositeLit:
		// map[string]int{...} / map[string]string{...} with literal entries.
		if mt, ok := x.Type.(*ast.MapType); ok && p.src(mt.Key) == "string" {
			typ := p.src(mt)
			m := map[string]any{}
			for _, el := range x.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					break
				}
				k, err := p.str(kv.Key)
				if err != nil {
					return nil, false, err
				}
				v, _, err := p.dataFor(kv.Value)
				if err != nil {
					return nil, false, err
				}
				m[k] = v
			}
			if typ == "map[string]int" || typ == "map[string]string" {
				return map[string]any{"$type": typ, "value": m}, false, nil
			}
		}
	case *ast.BasicLit:
		switch x.Kind {
		case token.INT:
			n, err := strconv.ParseInt(x.Value, 0, 64)
			return n, false, err
		case token.FLOAT:
			f, err := strconv.ParseFloat(x.Value, 64)
			return map[string]any{"$float": f}, false, err
		case token.STRING:
			v, err := strconv.Unquote(x.Value)
			return v, false, err
		case token.CHAR:
			// A Go rune (int32) constant; JSON has no int32, so it becomes an int.
			v, _, _, err := strconv.UnquoteChar(x.Value[1:len(x.Value)-1], '\'')
			return int(v), true, err
		}
	}
	return nil, false, fmt.Errorf("data %s is not expressible in JSON", s)
}

type builder struct {
	cases   []Case
	skipped []string
	names   map[string]int
}

func (b *builder) add(c Case) {
	// Upstream names repeat across (and sometimes within) tables; keep case names unique.
	if n := b.names[c.Name]; n > 0 {
		b.names[c.Name] = n + 1
		c.Name = fmt.Sprintf("%s #%d", c.Name, n+1)
	} else {
		b.names[c.Name] = 1
	}
	b.cases = append(b.cases, c)
}

func (b *builder) skip(where, why string) { b.skipped = append(b.skipped, where+": "+why) }

func (b *builder) execTable(p *pkg, file, table, prefix string, extra [][2]string) {
	els, pos := p.table(file, table)
	for i, el := range els {
		if len(el.Elts) != 5 {
			b.skip(pos[i], "not a positional execTest")
			continue
		}
		name, err1 := p.str(el.Elts[0])
		input, err2 := p.str(el.Elts[1])
		output, err3 := p.str(el.Elts[2])
		ok, err4 := p.boolean(el.Elts[4])
		if err := firstErr(err1, err2, err3, err4); err != nil {
			b.skip(pos[i], err.Error())
			continue
		}
		data, approx, err := p.dataFor(el.Elts[3])
		if err != nil {
			b.skip(pos[i], name+": "+err.Error())
			continue
		}
		c := Case{
			Name:      prefix + "/" + name,
			Tags:      []string{"upstream:" + strings.TrimSuffix(filepath.Base(file), ".go")},
			Templates: append([][2]string{{name, input}}, extra...),
			Data:      data,
			Funcs:     execFuncs,
			Upstream:  map[string]any{"file": pos[i], "table": table, "data": p.src(el.Elts[3]), "ok": ok, "output": output},
		}
		if approx {
			c.Tags = append(c.Tags, "data-approx")
		}
		b.add(c)
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func main() {
	src := flag.String("src", filepath.Join(runtime.GOROOT(), "src", "text", "template"), "Go's src/text/template directory")
	flag.Parse()
	b := &builder{names: map[string]int{}}

	tp := load(*src, "exec_test.go", "multi_test.go")
	b.execTable(tp, "exec_test.go", "execTests", "exec", nil)

	// multi_test.go: executed in a set holding multiText1 and multiText2 (TestMultiExecute).
	m1, err1 := tp.str(tp.vals["multiText1"])
	m2, err2 := tp.str(tp.vals["multiText2"])
	if err := firstErr(err1, err2); err != nil {
		fail("%v", err)
	}
	b.execTable(tp, "multi_test.go", "multiExecTests", "multi", [][2]string{{"root", m1}, {"root2", m2}})

	// cmpTests: TestComparison wraps each expression in {{if ...}}true{{else}}false{{end}}.
	els, pos := tp.table("exec_test.go", "cmpTests")
	for i, el := range els {
		expr, err1 := tp.str(el.Elts[0])
		truth, err2 := tp.str(el.Elts[1])
		ok, err3 := tp.boolean(el.Elts[2])
		if err := firstErr(err1, err2, err3); err != nil {
			b.skip(pos[i], err.Error())
			continue
		}
		b.add(Case{
			Name:      "cmp/" + expr,
			Tags:      []string{"upstream:exec_test"},
			Templates: [][2]string{{"empty", "{{if " + expr + "}}true{{else}}false{{end}}"}},
			Data:      map[string]any{"$ref": "cmpStruct"},
			Upstream:  map[string]any{"file": pos[i], "table": "cmpTests", "ok": ok, "output": truth},
		})
	}

	// multiParseTests: parse checks only; executed here with tVal.
	els, pos = tp.table("multi_test.go", "multiParseTests")
	for i, el := range els {
		name, err1 := tp.str(el.Elts[0])
		input, err2 := tp.str(el.Elts[1])
		ok, err3 := tp.boolean(el.Elts[2])
		if err := firstErr(err1, err2, err3); err != nil {
			b.skip(pos[i], err.Error())
			continue
		}
		b.add(Case{
			Name: "multiparse/" + name, Tags: []string{"upstream:multi_test", "parse-only-upstream"},
			Templates: [][2]string{{name, input}}, Data: map[string]any{"$ref": "tVal"}, Funcs: execFuncs,
			Upstream: map[string]any{"file": pos[i], "table": "multiParseTests", "parseOk": ok},
		})
	}

	pp := load(filepath.Join(*src, "parse"), "parse_test.go", "lex_test.go")
	for _, t := range []struct{ table, prefix string }{{"parseTests", "parse"}, {"errorTests", "parseerr"}} {
		els, pos := pp.table("parse/parse_test.go", t.table)
		for i, el := range els {
			name, err1 := pp.str(el.Elts[0])
			input, err2 := pp.str(el.Elts[1])
			ok, err3 := pp.boolean(el.Elts[2])
			result, err4 := pp.str(el.Elts[3])
			if err := firstErr(err1, err2, err3, err4); err != nil {
				b.skip(pos[i], err.Error())
				continue
			}
			up := map[string]any{"file": pos[i], "table": t.table, "parseOk": ok}
			if t.table == "errorTests" {
				up["errorContains"] = result
			} else if ok {
				up["tree"] = result
			}
			b.add(Case{
				Name: t.prefix + "/" + name, Tags: []string{"upstream:parse_test", "parse-only-upstream"},
				Templates: [][2]string{{name, input}}, Data: map[string]any{"$ref": "tVal"}, Funcs: "parse",
				Upstream: up,
			})
		}
	}
	for _, t := range []struct {
		table, prefix string
		delims        []string
	}{{"lexTests", "lex", nil}, {"lexDelimTests", "lexdelim", []string{"$$", "@@"}}, {"lexPosTests", "lexpos", nil}} {
		els, pos := pp.table("parse/lex_test.go", t.table)
		for i, el := range els {
			name, err1 := pp.str(el.Elts[0])
			input, err2 := pp.str(el.Elts[1])
			if err := firstErr(err1, err2); err != nil {
				b.skip(pos[i], err.Error())
				continue
			}
			b.add(Case{
				Name: t.prefix + "/" + name, Tags: []string{"upstream:lex_test", "lex-only-upstream"},
				Templates: [][2]string{{name, input}}, Data: map[string]any{"$ref": "tVal"}, Funcs: execFuncs,
				Delims: t.delims, Upstream: map[string]any{"file": pos[i], "table": t.table},
			})
		}
	}
	// numberTests check parse.NumberNode; here each literal is printed with its Go type.
	els, pos = pp.table("parse/parse_test.go", "numberTests")
	for i, el := range els {
		if kv, ok := el.Elts[0].(*ast.KeyValueExpr); ok {
			// {text: "..."}: a literal that must not parse as a number.
			el = &ast.CompositeLit{Elts: []ast.Expr{kv.Value, ast.NewIdent("false"), ast.NewIdent("false"), ast.NewIdent("false"), ast.NewIdent("false")}}
		}
		text, err := pp.str(el.Elts[0])
		if err != nil {
			b.skip(pos[i], err.Error())
			continue
		}
		isInt, _ := pp.boolean(el.Elts[1])
		isFloat, _ := pp.boolean(el.Elts[3])
		isComplex, _ := pp.boolean(el.Elts[4])
		b.add(Case{
			Name: "number/" + text, Tags: []string{"upstream:parse_test"},
			Templates: [][2]string{{"number", "{{typeOf " + text + "}} {{" + text + "}}"}}, Data: nil, Funcs: execFuncs,
			Upstream: map[string]any{"file": pos[i], "table": "numberTests", "isInt": isInt, "isFloat": isFloat, "isComplex": isComplex},
		})
	}
	els, pos = pp.table("parse/parse_test.go", "isEmptyTests")
	for i, el := range els {
		name, err1 := pp.str(el.Elts[0])
		input, err2 := pp.str(el.Elts[1])
		empty, err3 := pp.boolean(el.Elts[2])
		if err := firstErr(err1, err2, err3); err != nil {
			b.skip(pos[i], err.Error())
			continue
		}
		// The set's root is empty; executing a defined template by name shows what was kept.
		b.add(Case{
			Name: "isempty/" + name, Tags: []string{"upstream:parse_test"},
			Templates: [][2]string{{"root", input}, {"probe", `{{define "x"}}redefined{{end}}[{{template "root"}}]`}},
			Data:      nil, Upstream: map[string]any{"file": pos[i], "table": "isEmptyTests", "empty": empty},
		})
	}

	out := map[string]any{
		"source":  "Go " + runtime.Version() + " src/text/template test tables, extracted by test/conformance/extract",
		"skipped": b.skipped,
		"cases":   b.cases,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fail("%v", err)
	}
	fmt.Fprintf(os.Stderr, "extract: %d cases, %d skipped\n", len(b.cases), len(b.skipped))
}
