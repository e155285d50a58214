package exercise

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

func square(x float64) float64 { return x * x }

func TestFuncPasses(t *testing.T) {
	r := Func("sq", "hint", square, func(x float64) float64 { return math.Pow(x, 2) }, []float64{0, 1.5, -3, 1e6}, 1e-12)
	if !r.Passed || r.ID != "sq" || r.Message != "4 inputs agree with the reference within 1e-12." {
		t.Errorf("%+v", r)
	}
	if got := r.String(); got != "✔ sq: passed. 4 inputs agree with the reference within 1e-12." {
		t.Errorf("String() = %q", got)
	}
}

func TestFuncWrongAnswer(t *testing.T) {
	wrong := func(x float64) float64 { return 2 * x }
	r := Func("sq", "Hint: multiply x by itself.", wrong, square, []float64{2, 3}, 1e-9)
	if r.Passed {
		t.Fatal("a wrong function passed")
	}
	// 2·2 = 2², so the first input that differs is 3.
	if r.Message != "on input 3 your function returns 6; the expected value is 9" {
		t.Errorf("message %q", r.Message)
	}
	if got := r.String(); got != "✘ sq: on input 3 your function returns 6; the expected value is 9\n  Hint: multiply x by itself." {
		t.Errorf("String() = %q", got)
	}
}

func TestFuncPanicIsAFailedCheck(t *testing.T) {
	stub := func(x float64) float64 { panic("not implemented") }
	r := Func("sq", "hint", stub, square, []float64{1}, 1e-9)
	if r.Passed || r.Message != `on input 1: not implemented yet: your code still panics with "not implemented"` || r.Hint != "hint" {
		t.Errorf("%+v", r)
	}
	var nilMap map[string]float64
	r = Func("sq", "", func(x float64) float64 { nilMap["a"] = x; return x }, square, []float64{1}, 1e-9)
	if r.Passed || !strings.Contains(r.Message, "your code panicked: assignment to entry in nil map") {
		t.Errorf("%+v", r)
	}
}

func TestFuncNaNFails(t *testing.T) {
	r := Func("log", "", func(x float64) float64 { return math.NaN() }, math.Log, []float64{1}, 1e-9)
	if r.Passed || !strings.Contains(r.Message, "returns NaN") {
		t.Errorf("%+v", r)
	}
}

func TestFuncTolerance(t *testing.T) {
	// Relative above 1, absolute below.
	for _, tc := range []struct {
		got, want, tol float64
		ok             bool
	}{
		{1000.5, 1000, 1e-3, true}, {1002, 1000, 1e-3, false},
		{0.0005, 0, 1e-3, true}, {0.002, 0, 1e-3, false},
		{math.Inf(1), math.Inf(1), 1e-3, true}, {1e300, math.Inf(1), 1e-3, false},
	} {
		r := Func("t", "", func(float64) float64 { return tc.got }, func(float64) float64 { return tc.want }, []float64{0}, tc.tol)
		if r.Passed != tc.ok {
			t.Errorf("got %g want %g tol %g: passed %v", tc.got, tc.want, tc.tol, r.Passed)
		}
	}
}

func TestFuncNoInputs(t *testing.T) {
	if r := Func("t", "", square, square, nil, 1); r.Passed || !strings.Contains(r.Message, "no inputs") {
		t.Errorf("%+v", r)
	}
}

func TestValue(t *testing.T) {
	if r := Value("v", "", func() float64 { return math.Log(4) }, 1.3862943611198906, 1e-12); !r.Passed {
		t.Errorf("%+v", r)
	}
	r := Value("v", "h", func() float64 { return 1 }, 2, 1e-6)
	if r.Passed || r.Message != "your value is 1; the expected value is 2 (tolerance 1e-06)" {
		t.Errorf("%+v", r)
	}
	if r := Value("v", "", func() float64 { panic(errors.New("boom")) }, 2, 1e-6); r.Passed || r.Message != "your code panicked: boom" {
		t.Errorf("%+v", r)
	}
}

func TestSlice(t *testing.T) {
	double := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = 2 * x
		}
		return out
	}
	inputs := [][]float64{{1, 2}, {}, {-3}}
	if r := Slice("d", "", double, double, inputs, 1e-12); !r.Passed || r.Message != "3 inputs agree with the reference within 1e-12." {
		t.Errorf("%+v", r)
	}
	short := func(v []float64) []float64 { return double(v)[:max(0, len(v)-1)] }
	if r := Slice("d", "h", short, double, inputs, 1e-12); r.Passed || r.Message != "on input [1 2] your function returns 1 values; the expected number is 2" {
		t.Errorf("%+v", r)
	}
	off := func(v []float64) []float64 { o := double(v); o[len(o)-1] += 1; return o }
	if r := Slice("d", "h", off, double, inputs[:1], 1e-12); r.Passed || r.Message != "on input [1 2] value 2 of 2 is 5; the expected value is 4" {
		t.Errorf("%+v", r)
	}
}

func TestFailEnvExits(t *testing.T) {
	var code int
	exit = func(c int) { code = c }
	defer func() { exit = os.Exit }()
	t.Setenv(FailEnv, "error")
	if r := Value("v", "", func() float64 { return 1 }, 1, 0); !r.Passed || code != 0 {
		t.Errorf("a passing check exited with %d", code)
	}
	if r := Value("v", "", func() float64 { return 2 }, 1, 0); r.Passed || code != 1 {
		t.Errorf("a failing check with %s=error: exit code %d, want 1", FailEnv, code)
	}
	code = 0
	t.Setenv(FailEnv, "")
	if Value("v", "", func() float64 { return 2 }, 1, 0); code != 0 {
		t.Errorf("a failing check without %s exited with %d", FailEnv, code)
	}
}

// grading sets ModeEnv to mode and OutEnv to a temporary file, whose contents it returns
// after f.
func grading(t *testing.T, mode string, f func()) []byte {
	t.Helper()
	t.Setenv(ModeEnv, mode)
	path := t.TempDir() + "/out.jsonl"
	t.Setenv(OutEnv, path)
	outOnce, out = sync.Once{}, nil
	defer func() {
		if out != nil {
			out.Close()
		}
		outOnce, out = sync.Once{}, nil
	}()
	f()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestAnswerThenJudge: the learner's side writes only its outputs (a panic included), and a
// judge that never calls the learner's code reaches the verdicts an interactive check does.
func TestAnswerThenJudge(t *testing.T) {
	learnerCalls, referenceCalls := 0, 0
	learnerFn := func(x float64) float64 {
		learnerCalls++
		if x == 7 {
			panic("boom")
		}
		return 2 * x
	}
	reference := func(x float64) float64 { referenceCalls++; return 2 * x }
	checks := func() []Result {
		return []Result{
			Func("ok", "", learnerFn, reference, []float64{1, math.Inf(1)}, 0),
			Func("wrong", "h", learnerFn, func(x float64) float64 { referenceCalls++; return x * x }, []float64{1, 3}, 0),
			Func("panics", "h", learnerFn, reference, []float64{1, 7, 9}, 0),
			Value("nan", "", func() float64 { learnerCalls++; return math.NaN() }, 1, 0),
		}
	}
	answersFile := t.TempDir() + "/answers.jsonl"
	answered := grading(t, ModeAnswer, func() {
		for _, r := range checks() {
			if r.Passed || r.Message != "" {
				t.Errorf("answer mode returned a verdict: %+v", r)
			}
		}
	})
	if referenceCalls != 0 || learnerCalls == 0 {
		t.Errorf("answer mode: %d reference calls, %d learner calls; want none and some", referenceCalls, learnerCalls)
	}
	if err := os.WriteFile(answersFile, answered, 0o644); err != nil {
		t.Fatal(err)
	}

	learnerCalls = 0
	t.Setenv(AnswersEnv, answersFile)
	answers = sync.OnceValues(loadAnswers)
	judged := grading(t, ModeJudge, func() { checks() })
	if learnerCalls != 0 {
		t.Errorf("judge mode called the learner's code %d times", learnerCalls)
	}
	var got []Result
	for _, line := range strings.Split(strings.TrimSpace(string(judged)), "\n") {
		var r Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("judge record %q: %v", line, err)
		}
		got = append(got, r)
	}
	want := []Result{
		{ID: "ok", Passed: true, Message: "2 inputs agree with the reference within 0."},
		{ID: "wrong", Message: "on input 1 your function returns 2; the expected value is 1", Hint: "h"},
		{ID: "panics", Message: "on input 7: your code panicked: boom", Hint: "h"},
		{ID: "nan", Message: "your value is NaN; the expected value is 1 (tolerance 0)"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("judged\n%+v\nwant\n%+v", got, want)
	}
}

// TestJudgeWithoutAnswer: a check with no answer (the program stopped before it) fails.
func TestJudgeWithoutAnswer(t *testing.T) {
	empty := t.TempDir() + "/answers.jsonl"
	os.WriteFile(empty, nil, 0o644)
	t.Setenv(AnswersEnv, empty)
	answers = sync.OnceValues(loadAnswers)
	judged := grading(t, ModeJudge, func() { Value("v", "h", func() float64 { return 1 }, 1, 0) })
	if !strings.Contains(string(judged), `"passed":false`) || !strings.Contains(string(judged), "no answer") {
		t.Errorf("judged %s; want a failed check for the missing answer", judged)
	}
}
