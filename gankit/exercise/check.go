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
// printed line outside one, and returns it (see FailEnv for failed checks). In the judge
// mode of a grader (see ModeEnv) it writes r to the grader's channel instead.
func report(r Result) Result {
	if currentMode() == ModeJudge {
		writeRecord(r)
		return r
	}
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
	return run(id, hint, func(struct{}) []float64 { return []float64{got()} }, func(struct{}) []float64 { return []float64{want} },
		[]struct{}{{}}, tol, valueMessages)
}

// Func checks the learner's function against reference on every input, within tol
// (absolute, or relative for values above 1). It reports the first input where they
// differ, with both values.
func Func[In any](id, hint string, learner, reference func(In) float64, inputs []In, tol float64) Result {
	return run(id, hint, func(in In) []float64 { return []float64{learner(in)} }, func(in In) []float64 { return []float64{reference(in)} },
		inputs, tol, funcMessages)
}

// Slice checks a learner's function that returns several numbers per input (a vector, a
// flattened matrix, counts converted to float64) against reference on every input: the
// lengths must agree and every value must be within tol, as in Func. It reports the first
// input and position where they differ.
func Slice[In any](id, hint string, learner, reference func(In) []float64, inputs []In, tol float64) Result {
	return run(id, hint, learner, reference, inputs, tol, sliceMessages)
}

// run is every check. How it runs depends on ModeEnv: interactively it calls both
// functions and reports; in a grader's answer mode it calls only learner and hands its
// outputs to the grader; in judge mode it calls only reference and compares it with the
// answers the grader gives it.
func run[In any](id, hint string, learner, reference func(In) []float64, inputs []In, tol float64, msg messages) Result {
	if len(inputs) == 0 {
		return report(Result{ID: id, Message: "the check has no inputs (a mistake in the lesson, not in your code)"})
	}
	mode := currentMode()
	var answers Answer
	switch mode {
	case ModeAnswer:
		writeRecord(evaluate(id, learner, inputs))
		return Result{ID: id}
	case ModeJudge:
		a, ok := answerFor(id)
		if !ok {
			return report(Result{ID: id, Message: "your code gave no answer: the graded program stopped before this check", Hint: hint})
		}
		answers = a
	}
	first := math.NaN()
	for i, in := range inputs {
		want := reference(in)
		var got []float64
		var err error
		if mode == ModeJudge {
			got, err = answers.at(i)
		} else {
			got, err = call(func() []float64 { return learner(in) })
		}
		if err != nil {
			return report(Result{ID: id, Message: msg.errorAt(in, err), Hint: hint})
		}
		if len(got) != len(want) {
			return report(Result{ID: id, Message: msg.lengths(in, len(got), len(want)), Hint: hint})
		}
		for j := range want {
			if !near(got[j], want[j], tol) {
				return report(Result{ID: id, Message: msg.differs(in, j, len(want), got[j], want[j], tol), Hint: hint})
			}
		}
		if i == 0 && len(got) > 0 {
			first = got[0]
		}
	}
	return report(Result{ID: id, Passed: true, Message: msg.passed(len(inputs), tol, first)})
}

// messages words a check's outcome, as Func, Value or Slice speak.
type messages struct {
	errorAt func(in any, err error) string
	differs func(in any, j, n int, got, want, tol float64) string
	lengths func(in any, got, want int) string
	passed  func(n int, tol, first float64) string
}

var (
	sliceMessages = messages{
		errorAt: func(in any, err error) string { return fmt.Sprintf("on input %s: %v", show(in), err) },
		differs: func(in any, j, n int, got, want, _ float64) string {
			return fmt.Sprintf("on input %s value %d of %d is %.6g; the expected value is %.6g", show(in), j+1, n, got, want)
		},
		lengths: func(in any, got, want int) string {
			return fmt.Sprintf("on input %s your function returns %d values; the expected number is %d", show(in), got, want)
		},
		passed: func(n int, tol, _ float64) string {
			return fmt.Sprintf("%d inputs agree with the reference within %g.", n, tol)
		},
	}
	funcMessages = messages{
		errorAt: sliceMessages.errorAt,
		differs: func(in any, _, _ int, got, want, _ float64) string {
			return fmt.Sprintf("on input %s your function returns %.6g; the expected value is %.6g", show(in), got, want)
		},
		lengths: sliceMessages.lengths,
		passed:  sliceMessages.passed,
	}
	valueMessages = messages{
		errorAt: func(_ any, err error) string { return err.Error() },
		differs: func(_ any, _, _ int, got, want, tol float64) string {
			return fmt.Sprintf("your value is %.6g; the expected value is %.6g (tolerance %g)", got, want, tol)
		},
		lengths: sliceMessages.lengths,
		passed:  func(_ int, _, first float64) string { return fmt.Sprintf("%.6g, as expected.", first) },
	}
)

// show formats an input for a message, shortening long ones.
func show(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return strings.ReplaceAll(s, "\n", " ")
}
