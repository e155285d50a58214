// Package experiments holds the measured experiments of the lessons, one function each,
// with the fixed seeds and settings the lesson text quotes.
//
// A notebook calls the same function its test calls, so the number a learner reads in a
// lesson is the number a test asserts: the tests in this package are the lessons' claims.
//
// Lesson 3 is the exception in where its claims are checked. Its tables train four
// methods on three seeds for several minutes, too long to run twice in `make test`, so
// the lesson checks its own claims with CheckRecovers and CheckFewerModes, whose failure
// fails the notebook and with it `make test`; this package's tests check those functions,
// the methods' settings and Sweep on short runs. Lessons 7, 8 and 9 are the same: their
// image GANs train for minutes, so each lesson checks its claim on its own run
// (CheckDCGAN, CheckConditional, CheckInfoGAN), and this package's tests check those
// functions and the plumbing of DCGANLesson, ConditionalLesson and InfoGANLesson on a few
// iterations.
package experiments
