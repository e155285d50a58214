// Command checkprog writes the Go program that grades a lesson's exercises without GoNB:
// the lesson's declarations, its solution cells (the lesson's own, or a submission's), and
// every check cell as a function of its own, run one per invocation (`prog <check id>`;
// no argument runs them all in order). With gankit/exercise's ModeEnv set, the same
// program either answers the checks with the learner's code or judges answers with the
// lesson's (see cmd/nbexec/grade.py, which builds both and runs the first sandboxed).
//
//	checkprog -lesson notebooks/01-minimax-game.ipynb [-submission alice.ipynb] -out DIR
//
// It writes DIR/main.go and DIR/report.json: the check ids in order, and for every
// solution cell of the submission that graded code may not contain (or that -exclude
// names), the reason. Such a cell is replaced by the lesson's own in the program (so that
// the rest compiles) and its exercise scores zero. Comments "//gankit:begin ID" and
// "//gankit:end ID" enclose each submitted cell's declarations and each check's function,
// so that a compiler error can be traced to its exercise. What a submitted solution cell may hold is Rules' business: function,
// type and constant declarations, and variables initialised without running code, using
// only the packages of AllowedImports.
//
// Exit status 2 and one line on stderr when the lesson itself cannot be turned into a
// program.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	lesson := flag.String("lesson", "", "the lesson notebook (instructor version): its declarations, checks and own solutions")
	submission := flag.String("submission", "", "a submitted notebook whose solution cells replace the lesson's")
	outDir := flag.String("out", "", "the folder to write main.go and report.json to")
	exclude := flag.String("exclude", "", "exercise ids whose submitted solution cells are not to be used, as id=reason;id=reason (the grader's, e.g. for code that does not compile)")
	flag.Parse()
	if *lesson == "" || *outDir == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: checkprog -lesson L.ipynb [-submission S.ipynb] -out DIR")
		os.Exit(2)
	}
	excluded := map[string]string{}
	for _, item := range strings.Split(*exclude, ";") {
		if id, why, ok := strings.Cut(item, "="); ok && id != "" {
			excluded[id] = why
		}
	}
	if err := run(*lesson, *submission, *outDir, excluded); err != nil {
		fmt.Fprintln(os.Stderr, "checkprog:", err)
		os.Exit(2)
	}
}

func run(lessonPath, submissionPath, outDir string, exclude map[string]string) error {
	lesson, err := readNotebook(lessonPath)
	if err != nil {
		return err
	}
	var submitted map[string]string
	if submissionPath != "" {
		sub, err := readNotebook(submissionPath)
		if err != nil {
			return err
		}
		submitted = sub.solutions()
	}
	prog, err := Build(lesson, submitted, exclude)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(outDir, "main.go"), prog.Source, 0o644); err != nil {
		return err
	}
	report, err := json.MarshalIndent(prog.Report, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "report.json"), append(report, '\n'), 0o644)
}
