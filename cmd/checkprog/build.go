package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/imports"
)

// Program is a lesson's check program and what was decided while writing it.
type Program struct {
	Source []byte
	Report Report
}

// Report is written next to the program as report.json.
type Report struct {
	// Checks are the check ids, in the lesson's order: the program's arguments.
	Checks []string `json:"checks"`
	// Rejected maps an exercise id to why its submitted solution cell was not used.
	Rejected map[string]string `json:"rejected"`
}

// prefix is reserved for the names the program itself declares; Rules rejects submitted
// declarations that use it.
const prefix = "gankit"

// unit is one cell's contribution to the program.
type unit struct {
	decls   []ast.Decl
	fset    *token.FileSet
	imports []*ast.ImportSpec
	// solution is the exercise id of a submitted solution cell, "" for the lesson's cells.
	solution string
}

// Markers around a submitted cell's declarations and a check's function in the program, so
// that a compiler error can be traced to an exercise (see cmd/nbexec/grade.py).
const (
	markBegin = "//gankit:begin "
	markEnd   = "//gankit:end "
)

// Build writes the check program of lesson with the solution cells in submitted (exercise
// id -> cell source; nil: the lesson's own solutions). A submitted cell that breaks Rules
// is replaced by the lesson's, with the reason in the report. The lesson's own cells must
// parse: an error says which does not.
func Build(lesson *notebook, submitted map[string]string, exclude map[string]string) (*Program, error) {
	report := Report{Checks: []string{}, Rejected: map[string]string{}}
	lessonNames := map[string]bool{} // declared by the lesson outside its solution cells
	var units []unit
	var checkBodies []string
	for i, c := range lesson.Cells {
		if c.Type != "code" {
			continue
		}
		meta := c.Metadata.Gankit
		decls, body, _, _ := splitCell(string(c.Source))
		if meta.Check != "" {
			report.Checks = append(report.Checks, meta.Check)
			checkBodies = append(checkBodies, body)
		}
		src := decls
		if meta.Solution != "" && submitted != nil {
			if why, ok := exclude[meta.Solution]; ok {
				report.Rejected[meta.Solution] = why
			} else if s, ok := submitted[meta.Solution]; !ok {
				report.Rejected[meta.Solution] = "the solution cell was deleted or lost its metadata"
			} else if u, err := submittedUnit(s, lessonNames); err != nil {
				report.Rejected[meta.Solution] = err.Error()
			} else {
				u.solution = meta.Solution
				units = append(units, u)
				continue
			}
		}
		u, err := parseUnit(src)
		if err != nil {
			return nil, fmt.Errorf("lesson cell %d: %v", i, err)
		}
		if meta.Solution == "" {
			for _, name := range declaredNames(u.decls) {
				lessonNames[name] = true
			}
		}
		units = append(units, u)
	}
	src, err := assemble(units, report.Checks, checkBodies)
	if err != nil {
		return nil, err
	}
	return &Program{Source: src, Report: report}, nil
}

// parseUnit parses a cell's declarations.
func parseUnit(decls string) (unit, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "cell.go", "package main;"+decls, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return unit{}, err
	}
	u := unit{fset: fset, imports: f.Imports}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" {
			continue // GoNB writes its own main; so does assemble
		}
		u.decls = append(u.decls, d)
	}
	return u, nil
}

// declaredNames are the package-level names decls declare (methods as Type.Method).
func declaredNames(decls []ast.Decl) []string {
	var names []string
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			names = append(names, funcKey(d))
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}

func funcKey(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fn.Name.Name
		}
		return fn.Name.Name
	}
}

// assemble prints the program: the imports of every unit, each package-level name's last
// declaration (as GoNB keeps the latest one), one function per check body and a main that
// runs the check named by its argument, or all of them. goimports' logic then drops the
// imports only the lesson's other cells used and adds those a cell left to GoNB.
func assemble(units []unit, checks, bodies []string) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString("// Code generated by cmd/checkprog. DO NOT EDIT.\n\npackage main\n\nimport (\n")
	seen := map[string]bool{}
	for _, u := range units {
		for _, imp := range u.imports {
			line := imp.Path.Value
			if imp.Name != nil {
				line = imp.Name.Name + " " + line
			}
			if !seen[line] {
				seen[line] = true
				out.WriteString("\t" + line + "\n")
			}
		}
	}
	out.WriteString("\t" + prefix + "os \"os\"\n\t" + prefix + "fmt \"fmt\"\n)\n\n")

	// The last declaration of each name wins, printed where the name first appeared.
	var order []string
	last := map[string]string{}
	anonymous := 0
	for _, u := range units {
		for _, d := range u.decls {
			dropDocs(d)
			var buf bytes.Buffer
			if u.solution != "" {
				buf.WriteString(markBegin + u.solution + "\n")
			}
			if err := format.Node(&buf, u.fset, d); err != nil {
				return nil, err
			}
			if u.solution != "" {
				buf.WriteString("\n" + markEnd + u.solution)
			}
			names := declaredNames([]ast.Decl{d})
			key := strings.Join(names, ",")
			if key == "" || key == "_" {
				anonymous++
				key = fmt.Sprintf("_%d", anonymous)
			}
			if _, ok := last[key]; !ok {
				order = append(order, key)
			}
			last[key] = buf.String()
		}
	}
	for _, k := range order {
		out.WriteString(last[k] + "\n\n")
	}

	for i, body := range bodies {
		fmt.Fprintf(&out, "%s%s\nfunc %sCheck%d() {\n%s\n}\n%s%s\n\n", markBegin, checks[i], prefix, i, body, markEnd, checks[i])
	}
	out.WriteString("var " + prefix + "Checks = map[string]func(){\n")
	for i, id := range checks {
		fmt.Fprintf(&out, "\t%s: %sCheck%d,\n", strconv.Quote(id), prefix, i)
	}
	out.WriteString("}\n\n")
	fmt.Fprintf(&out, "var %sOrder = []string{", prefix)
	for i, id := range checks {
		if i > 0 {
			out.WriteString(", ")
		}
		out.WriteString(strconv.Quote(id))
	}
	out.WriteString("}\n\n")
	out.WriteString(`func main() {
	if len(` + prefix + `os.Args) > 1 {
		check, ok := ` + prefix + `Checks[` + prefix + `os.Args[1]]
		if !ok {
			` + prefix + `fmt.Fprintf(` + prefix + `os.Stderr, "no check %q (have %v)\n", ` + prefix + `os.Args[1], ` + prefix + `Order)
			` + prefix + `os.Exit(2)
		}
		check()
		return
	}
	for _, id := range ` + prefix + `Order {
		` + prefix + `Checks[id]()
	}
}
`)
	src, err := imports.Process("main.go", out.Bytes(), &imports.Options{Comments: true, TabIndent: true, TabWidth: 8})
	if err != nil {
		return nil, fmt.Errorf("the program does not compile: %v", firstLine(err.Error()))
	}
	return src, nil
}

// dropDocs removes d's doc comment: the program needs none, and go/printer cannot place a
// comment of one cell's file set beside a declaration printed on its own.
func dropDocs(d ast.Decl) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		d.Doc = nil
	case *ast.GenDecl:
		d.Doc = nil
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
