package main

import (
	"strings"
	"testing"
)

// lesson is a two-exercise lesson in GoNB's cell syntax.
func lesson() *notebook {
	code := func(src, solution, check string) cell {
		c := cell{Type: "code", Source: sourceText(src)}
		c.Metadata.Gankit.Solution, c.Metadata.Gankit.Check = solution, check
		return c
	}
	return &notebook{Cells: []cell{
		{Type: "markdown", Source: "# A lesson"},
		code("%noautoget\n!*rm -f go.work && go work init\n%goworkfix", "", ""),
		code("import (\n\t\"fmt\"\n\t\"math\"\n\n\t\"github.com/gankit/kit/gankit/exercise\"\n)\n\nfunc must(err error) {\n\tif err != nil {\n\t\tpanic(err)\n\t}\n}\n\n%%\nfmt.Println(\"setup\")", "", ""),
		code("func double(x float64) float64 {\n\t// BEGIN SOLUTION\n\treturn 2 * x\n\t// END SOLUTION\n}", "double", ""),
		code("%%\nexercise.Func(\"double\", \"\", double, func(x float64) float64 { return 2 * x }, []float64{1}, 0)", "", "double"),
		code("%%\nfmt.Println(math.Pi) // a lesson cell: not part of the program", "", ""),
		code("func root(x float64) float64 {\n\treturn math.Sqrt(x)\n}", "root", ""),
		code("%%\nexercise.Value(\"root\", \"\", func() float64 { return root(4) }, 2, 0)", "", "root"),
	}}
}

func build(t *testing.T, submitted map[string]string, exclude map[string]string) (string, Report) {
	t.Helper()
	p, err := Build(lesson(), submitted, exclude)
	if err != nil {
		t.Fatal(err)
	}
	return string(p.Source), p.Report
}

func TestBuildLessonOwnSolutions(t *testing.T) {
	src, report := build(t, nil, nil)
	if strings.Join(report.Checks, ",") != "double,root" || len(report.Rejected) != 0 {
		t.Errorf("report %+v", report)
	}
	for _, want := range []string{"func double(", "func root(", "func must(", `"double": gankitCheck0`, `"root":   gankitCheck1`} {
		if !strings.Contains(src, want) {
			t.Errorf("program lacks %q:\n%s", want, src)
		}
	}
	for _, absent := range []string{"setup", "math.Pi", "%%", "%noautoget", "go work", "//gankit:begin double\nfunc double"} {
		if strings.Contains(src, absent) {
			t.Errorf("program holds %q:\n%s", absent, src)
		}
	}
}

func TestBuildSubmittedSolutions(t *testing.T) {
	src, report := build(t, map[string]string{
		"double": "func double(x float64) float64 {\n\treturn x + x\n}\n\nfunc helper() int { return 1 }",
		"root":   "func root(x float64) float64 {\n\treturn 0\n}",
	}, map[string]string{"root": "the solution does not compile: boom"})
	if report.Rejected["root"] != "the solution does not compile: boom" || len(report.Rejected) != 1 {
		t.Errorf("rejected %v", report.Rejected)
	}
	if !strings.Contains(src, "//gankit:begin double\nfunc double(x float64) float64 {\n\treturn x + x\n}\n\n//gankit:end double") ||
		!strings.Contains(src, "func helper()") {
		t.Errorf("the submitted cell is not in the program between its markers:\n%s", src)
	}
	if !strings.Contains(src, "math.Sqrt") { // root excluded: the lesson's own is used
		t.Errorf("the excluded cell was not replaced by the lesson's:\n%s", src)
	}
	if !strings.Contains(src, "//gankit:begin root\nfunc gankitCheck1()") {
		t.Errorf("the check's function has no markers:\n%s", src)
	}
}

func TestRules(t *testing.T) {
	for _, tc := range []struct{ name, cell, reason string }{
		{"os", "import \"os\"\n\nfunc double(x float64) float64 { os.Exit(0); return x }", `imports "os"`},
		{"unsafe", "import \"unsafe\"\n\nfunc double(x float64) float64 { return x }", `imports "unsafe"`},
		{"dot import", "import . \"math\"\n\nfunc double(x float64) float64 { return Abs(x) }", `as "."`},
		{"init", "func init() {}\n\nfunc double(x float64) float64 { return x }", "func init"},
		{"initialiser", "var _ = func() int { return 1 }()\n\nfunc double(x float64) float64 { return x }", "initial value runs code"},
		{"call initialiser", "var n = len(\"ab\")\n\nfunc double(x float64) float64 { return x }", "initial value runs code"},
		{"print", "import \"fmt\"\n\nfunc double(x float64) float64 { fmt.Println(x); return x }", "prints (fmt.Println"},
		{"builtin print", "func double(x float64) float64 { println(x); return x }", "prints (println"},
		{"exercise", "type exercise struct{}\n\nfunc double(x float64) float64 { return x }", "declares exercise"},
		{"main", "func main() {}\n\nfunc double(x float64) float64 { return x }", ""}, // GoNB's main is dropped, as the lesson's
		{"lesson name", "func must(err error) {}\n\nfunc double(x float64) float64 { return x }", "declares must again"},
		{"grader name", "var gankitOrder = 3\n\nfunc double(x float64) float64 { return x }", "are the grader's"},
		{"directive", "//go:noinline\nfunc double(x float64) float64 { return x }", `compiler directive "//go:noinline"`},
		{"magic", "%%\nfunc double(x float64) float64 { return x }", `"%%" part`},
		{"shell", "!rm -rf /\nfunc double(x float64) float64 { return x }", "GoNB command"},
		{"syntax", "func double(x float64) float64 { return x", "does not compile"},
		{"allowed", "import (\n\t\"math\"\n\t\"slices\"\n)\n\nvar scale = 2.0\nvar table = []float64{1, float64(2)}\n\nfunc double(x float64) float64 { return scale * math.Abs(x) * float64(len(slices.Clone(table))/2) }", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, report := build(t, map[string]string{"double": tc.cell, "root": "func root(x float64) float64 { return x }"}, nil)
			got := report.Rejected["double"]
			if tc.reason == "" && got != "" || tc.reason != "" && !strings.Contains(got, tc.reason) {
				t.Errorf("rejected %q, want a reason with %q", got, tc.reason)
			}
		})
	}
}

func TestMissingSolutionCell(t *testing.T) {
	_, report := build(t, map[string]string{"root": "func root(x float64) float64 { return x }"}, nil)
	if !strings.Contains(report.Rejected["double"], "deleted") {
		t.Errorf("rejected %v", report.Rejected)
	}
}

func TestLaterDeclarationWins(t *testing.T) {
	nb := lesson()
	nb.Cells = append(nb.Cells, cell{Type: "code", Source: "func must(err error) {\n\t_ = err // redefined later, as GoNB keeps the last\n}"})
	p, err := Build(nb, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(p.Source), "func must(") != 1 || !strings.Contains(string(p.Source), "_ = err") {
		t.Errorf("want only the last must:\n%s", p.Source)
	}
}

func TestLessonThatDoesNotParse(t *testing.T) {
	nb := lesson()
	nb.Cells[2].Source = "func broken( {"
	if _, err := Build(nb, nil, nil); err == nil || !strings.Contains(err.Error(), "lesson cell 2") {
		t.Errorf("Build = %v, want an error naming cell 2", err)
	}
}

func TestSplitCell(t *testing.T) {
	decls, body, hasBody, dropped := splitCell("%noautoget\nfunc f() {}\n%%\nf()\n!ls")
	if !hasBody || len(dropped) != 2 || !strings.Contains(decls, "func f() {}") || strings.Contains(decls, "f()\n") ||
		strings.TrimSpace(body) != "f()" || strings.Count(decls, "\n") != 4 {
		t.Errorf("splitCell: decls %q body %q hasBody %v dropped %q", decls, body, hasBody, dropped)
	}
}
