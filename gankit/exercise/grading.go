package exercise

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
)

// ModeEnv is the environment variable with which a grader splits every check of a
// program in two, so that the learner's code never runs in the process that decides pass
// or fail (see cmd/nbexec/grade.py):
//
//   - ModeAnswer: the program holds the learner's solutions and runs sandboxed. Each check
//     calls only the learner's function on its inputs and appends an Answer to the file
//     named by OutEnv; it prints nothing and decides nothing.
//   - ModeJudge: the program holds the lesson's own solutions and runs trusted. Each check
//     calls only the reference, compares it with the Answer read from the file named by
//     AnswersEnv, and appends its Result to the file named by OutEnv.
//
// Unset (in a notebook), a check calls both and reports its Result.
const ModeEnv = "GANKIT_EXERCISE_MODE"

// The modes of ModeEnv.
const (
	ModeAnswer = "answer"
	ModeJudge  = "judge"
)

// AnswersEnv names the file of Answers, one JSON object per line, that judge mode reads.
const AnswersEnv = "GANKIT_EXERCISE_ANSWERS"

// OutEnv names the file to which the answer and judge modes append their records, one
// JSON object per line. The grader reads nothing else of the program's output, so nothing
// the learner's code prints can pass for a record.
const OutEnv = "GANKIT_EXERCISE_OUT"

// maxAnswersLine bounds one line of the answers file (a check's outputs).
const maxAnswersLine = 16 << 20

// Answer is what the learner's function returned on a check's inputs, in answer mode.
type Answer struct {
	ID string `json:"id"`
	// Outputs holds, for each input in order, the values returned, each formatted by
	// strconv.FormatFloat(v, 'g', -1, 64) so that NaN and the infinities survive JSON.
	Outputs [][]string `json:"outputs"`
	// Error, when set, is how the learner's code failed on input len(Outputs) (a panic);
	// the inputs after it were not run.
	Error string `json:"error,omitempty"`
}

// at returns the learner's values for input i, or the error the code met there.
func (a Answer) at(i int) ([]float64, error) {
	if i < len(a.Outputs) {
		out := make([]float64, len(a.Outputs[i]))
		for j, s := range a.Outputs[i] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("the graded program's answer %q is not a number", s)
			}
			out[j] = v
		}
		return out, nil
	}
	if i == len(a.Outputs) && a.Error != "" {
		return nil, errors.New(a.Error)
	}
	return nil, errors.New("your code gave no answer for this input: the graded program stopped here")
}

// evaluate runs learner on every input, as answer mode does, stopping at the first panic.
func evaluate[In any](id string, learner func(In) []float64, inputs []In) Answer {
	a := Answer{ID: id, Outputs: [][]string{}}
	for _, in := range inputs {
		got, err := call(func() []float64 { return learner(in) })
		if err != nil {
			a.Error = err.Error()
			break
		}
		vals := make([]string, len(got))
		for j, v := range got {
			vals[j] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		a.Outputs = append(a.Outputs, vals)
	}
	return a
}

func currentMode() string {
	switch m := os.Getenv(ModeEnv); m {
	case ModeAnswer, ModeJudge:
		return m
	}
	return ""
}

var (
	outOnce sync.Once
	out     *os.File
	outMu   sync.Mutex
	// openOut opens the file named by OutEnv; tests replace it.
	openOut = func() (*os.File, error) {
		path := os.Getenv(OutEnv)
		if path == "" {
			return nil, fmt.Errorf("%s is not set", OutEnv)
		}
		return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	}
	outErr error
)

// writeRecord appends v as one JSON line to the file named by OutEnv. It panics when that
// fails: a program in a grading mode is only ever run by a grader.
func writeRecord(v any) {
	js, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Errorf("exercise: cannot encode a grading record: %w", err))
	}
	outOnce.Do(func() { out, outErr = openOut() })
	outMu.Lock()
	defer outMu.Unlock()
	if outErr != nil {
		panic(fmt.Errorf("exercise: %s=%s but the records file cannot be opened: %w", ModeEnv, currentMode(), outErr))
	}
	if _, err := out.Write(append(js, '\n')); err != nil {
		panic(fmt.Errorf("exercise: %s=%s but writing a record failed: %w", ModeEnv, currentMode(), err))
	}
}

// answers are the records of the file named by AnswersEnv, read once.
var answers = sync.OnceValues(loadAnswers)

// loadAnswers reads the file named by AnswersEnv into a map by check id (the last record of
// an id wins).
func loadAnswers() (map[string]Answer, error) {
	path := os.Getenv(AnswersEnv)
	if path == "" {
		return nil, fmt.Errorf("exercise: %s=%s needs %s, the file of answers", ModeEnv, ModeJudge, AnswersEnv)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("exercise: reading the answers: %w", err)
	}
	defer f.Close()
	byID := map[string]Answer{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), maxAnswersLine)
	for sc.Scan() {
		var a Answer
		if json.Unmarshal(sc.Bytes(), &a) == nil && a.ID != "" {
			byID[a.ID] = a
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("exercise: reading the answers: %w", err)
	}
	return byID, nil
}

// answerFor returns the learner's Answer for check id, in judge mode.
func answerFor(id string) (Answer, bool) {
	byID, err := answers()
	if err != nil {
		panic(err)
	}
	a, ok := byID[id]
	return a, ok
}
