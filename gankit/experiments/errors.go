package experiments

import "errors"

// ErrClaim is wrapped by every Check function's error when a lesson's measured numbers do
// not support its claim, as opposed to an error about the call itself (a missing result,
// too few iterations, runs on different seeds). A notebook or a grader can tell the two
// apart with errors.Is; the message says which number missed which threshold.
var ErrClaim = errors.New("the lesson's claim does not hold")

// ErrUnknownMethod is wrapped by MethodByName's error for a name that is not one of
// CollapseMethods.
var ErrUnknownMethod = errors.New("no such method")

// ErrNoCheckpoint is wrapped by Runs.At's error when a seed was not scored at the
// iteration asked for (see SweepOptions.Every).
var ErrNoCheckpoint = errors.New("no checkpoint")
