// Package exercise runs the self-checking cells of the lessons' exercises.
//
// An exercise in a lesson is a solution cell, where the learner writes a function
// between "// BEGIN SOLUTION" and "// END SOLUTION" (the student version of the notebook
// has a stub there), followed by a check cell that calls this package (named exercise,
// not check, because the lessons define a helper check(err) of their own):
//
//	%%
//	exercise.Func("01-d-loss", "Hint: D's loss is -log D(x) - log(1 - D(G(z))).",
//		func(in [2]float64) float64 { return discriminatorLoss(in[0], in[1]) },
//		func(in [2]float64) float64 { return -math.Log(in[0]) - math.Log(1-in[1]) },
//		[][2]float64{{0.9, 0.1}, {0.5, 0.5}}, 1e-9)
//
// A check compares the learner's code with a reference on fixed inputs and prints one
// line: "✔ 01-d-loss: passed ..." or "✘ 01-d-loss: ..." followed by what differs and the
// hint. A wrong answer, a panic in the learner's code (the stub panics with "not
// implemented") or a NaN is reported as a failed check, never as a Go stack trace, so
// the notebook keeps running.
//
// Func compares numbers, Slice vectors (flattened matrices, counts converted to float64),
// Value one number, and Graph GoMLX graph code: the learner's loss, layer, network or
// training step and the reference are built on the same fixed input tensors (weights
// included) and run on the kit's backend, and the check compares the output's shape and
// values and the gradient with respect to every input, so that code with the right values
// but a broken gradient fails. In a GoNB notebook each check also sends its Result as a display
// bundle of type MIMEType (JSON). Outside a notebook the line is printed to standard output.
//
// The bulk grader (cmd/nbexec/grade.py) does not trust a notebook's own output: it runs
// the same check cells twice, in two programs (see ModeEnv). A sandboxed one, with the
// learner's solutions, only answers: it calls the learner's functions on the check's
// inputs and records what they return. A trusted one, with the lesson's own solutions,
// only judges: it calls the reference and compares it with those answers. So a check cell
// never runs the learner's code and decides in the same process. A check is therefore
// always a comparison of what the learner's code returns with a reference, never a free
// test.
//
// With nbgrader, whose autograder counts a test cell as failed only when it errors, set
// GANKIT_CHECK_FAIL=error in the kernel's environment (see FailEnv).
package exercise
