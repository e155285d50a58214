package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// AllowedImports are the packages a submitted solution cell may import: computation only.
// Nothing here reads or writes files, the network, the environment or the process (the
// sandbox would stop that too; these rules turn it into a clear reason before anything
// runs). A package under one of the prefixes ending in "/" is allowed with its
// sub-packages.
var AllowedImports = []string{
	"cmp", "container/heap", "container/list", "errors", "fmt", "maps", "math", "math/bits", "math/cmplx",
	"math/rand", "math/rand/v2", "slices", "sort", "strconv", "strings", "unicode", "unicode/utf8",
	"gonum.org/v1/gonum/floats", "gonum.org/v1/gonum/mat", "gonum.org/v1/gonum/stat/",
	"github.com/gankit/kit/gankit/batchnorm", "github.com/gankit/kit/gankit/conv", "github.com/gankit/kit/gankit/losses",
	"github.com/gankit/kit/gankit/metrics", "github.com/gankit/kit/gankit/nets", "github.com/gankit/kit/gankit/target",
	"github.com/gankit/kit/gankit/theory",
	"github.com/gomlx/compute/dtypes", "github.com/gomlx/compute/shapes",
	"github.com/gomlx/gomlx/core/graph", "github.com/gomlx/gomlx/core/tensors", "github.com/gomlx/gomlx/ml/model",
}

func allowedImport(path string) bool {
	for _, a := range AllowedImports {
		if path == a || strings.HasSuffix(a, "/") && strings.HasPrefix(path, a) {
			return true
		}
	}
	return false
}

// printing are fmt's functions that write to standard output or a writer.
var printing = []string{"Print", "Printf", "Println", "Fprint", "Fprintf", "Fprintln"}

// submittedUnit parses a submitted solution cell and applies the rules (and rejects
// compiler directives: //go:linkname, //go:embed, //line); the error is the reason the cell
// cannot be graded, in words for the learner.
func submittedUnit(src string, lessonNames map[string]bool) (unit, error) {
	decls, _, hasBody, dropped := splitCell(src)
	if hasBody {
		return unit{}, errors.New(`the solution cell has a "%%" part: it may only declare functions, types, constants and variables`)
	}
	if len(dropped) > 0 {
		return unit{}, fmt.Errorf("the solution cell has a GoNB command (%s): it may only declare functions, types, constants and variables", strconv.Quote(dropped[0]))
	}
	for n, line := range strings.Split(decls, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "//go:") || strings.HasPrefix(t, "//line ") || strings.HasPrefix(t, "/*line ") {
			return unit{}, fmt.Errorf("the solution has a compiler directive %q (line %d)", strings.Fields(t)[0], n+1)
		}
	}
	u, err := parseUnit(decls)
	if err != nil {
		return unit{}, fmt.Errorf("the solution cell does not compile: %v", err)
	}
	if err := Rules(u, lessonNames); err != nil {
		return unit{}, err
	}
	return u, nil
}

// Rules reports why a submitted cell's declarations may not be graded: an import outside
// AllowedImports, an init function or a package-level variable whose initialiser runs code
// (both would run before every check), printing, a declaration of
// main or of a name the lesson declares outside its solution cells (its helpers and the
// check cells' names), or of one that starts with the program's own prefix.
func Rules(u unit, lessonNames map[string]bool) error {
	at := func(p token.Pos) string { return fmt.Sprintf("line %d", u.fset.Position(p).Line) }
	for _, imp := range u.imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if !allowedImport(path) {
			return fmt.Errorf("the solution imports %q (%s), which graded code may not use; it may use %s",
				path, at(imp.Pos()), strings.Join(AllowedImports, ", "))
		}
		if imp.Name != nil && (imp.Name.Name == "." || imp.Name.Name == "_") {
			return fmt.Errorf("the solution imports %q as %q (%s): import it by name", path, imp.Name.Name, at(imp.Pos()))
		}
	}
	for _, d := range u.decls {
		for _, name := range declaredNames([]ast.Decl{d}) {
			base := name[strings.LastIndexByte(name, '.')+1:]
			switch {
			case base == "init" && !strings.Contains(name, "."):
				return fmt.Errorf("the solution declares func init (%s), which would run before every check", at(d.Pos()))
			case name == "main" || name == "exercise":
				return fmt.Errorf("the solution declares %s (%s), which the graded program needs for itself", name, at(d.Pos()))
			case strings.HasPrefix(name, prefix):
				return fmt.Errorf("the solution declares %s (%s): names that start with %q are the grader's", name, at(d.Pos()), prefix)
			case lessonNames[name]:
				return fmt.Errorf("the solution declares %s again (%s), which the lesson declares: give it another name", name, at(d.Pos()))
			}
		}
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, s := range g.Specs {
				for _, v := range s.(*ast.ValueSpec).Values {
					if runsCode(v) {
						return fmt.Errorf("a package-level variable's initial value runs code (%s), which would run before every check: "+
							"compute it inside your function", at(v.Pos()))
					}
				}
			}
		}
	}
	var found error
	ast.Inspect(&ast.File{Decls: u.decls}, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "print" || id.Name == "println") {
				found = fmt.Errorf("the solution prints (%s at %s): graded code may only compute; remove the print", id.Name, at(n.Pos()))
			}
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "fmt" && slices.Contains(printing, sel.Sel.Name) {
					found = fmt.Errorf("the solution prints (fmt.%s at %s): graded code may only compute; remove the print", sel.Sel.Name, at(n.Pos()))
				}
			}
		}
		return true
	})
	if found != nil {
		return found
	}
	return nil
}

// runsCode reports whether evaluating e calls a function, receives from a channel or
// defines a function literal (which could be called later but is code either way).
func runsCode(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			// Conversions such as float64(2) are calls in the syntax tree: allow the
			// predeclared numeric types, reject everything else.
			if id, ok := n.Fun.(*ast.Ident); ok && conversion[id.Name] {
				return true
			}
			found = true
		case *ast.FuncLit:
			found = true
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		}
		return !found
	})
	return found
}

var conversion = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true, "uint": true, "uint8": true, "uint16": true,
	"uint32": true, "uint64": true, "float32": true, "float64": true, "string": true, "byte": true, "rune": true, "bool": true,
}
