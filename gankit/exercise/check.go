package exercise

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// MIMEType is the display-bundle type of a check's machine-readable Result.
const MIMEType = "application/vnd.gankit.check+json"

// Result is the outcome of one check.
type Result struct {
	// ID names the exercise, as in the check cell's metadata ("01-d-loss").
	ID string `json:"id"`
	// Passed is true when the learner's code matched the reference.
	Passed bool `json:"passed"`
	// Message says what was compared, or what differed.
	Message string `json:"message"`
	// Hint is shown when the check fails.
	Hint string `json:"hint,omitempty"`
}

// String is the line a check prints.
func (r Result) String() string {
	if r.Passed {
		return fmt.Sprintf("✔ %s: passed. %s", r.ID, r.Message)
	}
	s := fmt.Sprintf("✘ %s: %s", r.ID, r.Message)
	if r.Hint != "" {
		s += "\n  " + r.Hint
	}
	return s
}

// FailEnv is the environment variable that makes a failed check fail its cell: when it
// is "error", a failed check also writes its line to standard error and exits with status
// 1, which is what nbgrader's autograder counts as a failed test cell. Unset, a failed check
// only prints, so that a learner's notebook keeps running.
const FailEnv = "GANKIT_CHECK_FAIL"

// exit is os.Exit, replaced in tests.
var exit = os.Exit

// report shows r, as a display bundle in a notebook (text and the JSON result) or as a
// printed line outside one, and returns it (see FailEnv for failed checks).
func report(r Result) Result {
	defer func() {
		if !r.Passed && os.Getenv(FailEnv) == "error" {
			fmt.Fprintln(os.Stderr, r)
			exit(1)
		}
	}()
	if !gonbui.IsNotebook {
		fmt.Println(r)
		return r
	}
	js, err := json.Marshal(r)
	if err != nil { // Cannot happen: Result has only strings and a bool.
		panic(err)
	}
	gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextPlain: r.String(),
		MIMEType:               string(js),
	}})
	// Wait until GoNB has the result: a display sent just before the cell's program exits
	// can otherwise be lost, and the grader would see no result.
	gonbui.Sync()
	return r
}

// call runs f, turning a panic into an error that quotes the panic's value.
func call[T any](f func() T) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == "not implemented" {
				err = fmt.Errorf("not implemented yet: your code still panics with %q", p)
			} else {
				err = fmt.Errorf("your code panicked: %v", p)
			}
		}
	}()
	return f(), nil
}

// That runs test, a comparison written in the check cell, and reports its outcome: it
// passes when test returns nil; otherwise the error is the message. A panic inside test
// (for instance in the learner's function it calls) is a failure too.
func That(id, hint string, test func() error) Result {
	err, perr := call(test)
	switch {
	case perr != nil:
		return report(Result{ID: id, Message: perr.Error(), Hint: hint})
	case err != nil:
		return report(Result{ID: id, Message: err.Error(), Hint: hint})
	}
	return report(Result{ID: id, Passed: true, Message: "ok"})
}

// near reports whether got is within tol of want, absolutely or relatively (so that
// large values are compared to tol's number of significant digits). NaN is never close.
func near(got, want, tol float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return false
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// Value checks a number the learner computed. got is a function so that a panic while
// computing it is reported as a failed check.
func Value(id, hint string, got func() float64, want, tol float64) Result {
	g, err := call(got)
	if err != nil {
		return report(Result{ID: id, Message: err.Error(), Hint: hint})
	}
	if !near(g, want, tol) {
		return report(Result{ID: id, Message: fmt.Sprintf("your value is %.6g; the expected value is %.6g (tolerance %g)", g, want, tol), Hint: hint})
	}
	return report(Result{ID: id, Passed: true, Message: fmt.Sprintf("%.6g, as expected.", g)})
}

// Func checks the learner's function against reference on every input, within tol
// (absolute, or relative for values above 1). It reports the first input where they
// differ, with both values.
func Func[In any](id, hint string, learner, reference func(In) float64, inputs []In, tol float64) Result {
	if len(inputs) == 0 {
		return report(Result{ID: id, Message: "the check has no inputs (a mistake in the lesson, not in your code)"})
	}
	for _, in := range inputs {
		want := reference(in)
		got, err := call(func() float64 { return learner(in) })
		if err != nil {
			return report(Result{ID: id, Message: fmt.Sprintf("on input %s: %v", show(in), err), Hint: hint})
		}
		if !near(got, want, tol) {
			return report(Result{ID: id, Message: fmt.Sprintf("on input %s your function returns %.6g; the expected value is %.6g", show(in), got, want), Hint: hint})
		}
	}
	return report(Result{ID: id, Passed: true, Message: fmt.Sprintf("%d inputs agree with the reference within %g.", len(inputs), tol)})
}

// show formats an input for a message, shortening long ones.
func show(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return strings.ReplaceAll(s, "\n", " ")
}
