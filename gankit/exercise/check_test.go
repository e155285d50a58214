package exercise

import (
	"errors"
	"math"
	"os"
	"strings"
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

func TestThat(t *testing.T) {
	if r := That("t", "", func() error { return nil }); !r.Passed {
		t.Errorf("%+v", r)
	}
	if r := That("t", "h", func() error { return errors.New("3 modes, want 8") }); r.Passed || r.Message != "3 modes, want 8" {
		t.Errorf("%+v", r)
	}
	if r := That("t", "h", func() error { var s []int; _ = s[3]; return nil }); r.Passed || !strings.Contains(r.Message, "your code panicked: runtime error: index out of range") {
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
