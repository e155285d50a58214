// Package experiments holds the measured experiments of the lessons, one function each,
// with the fixed seeds and settings the lesson text quotes.
//
// A notebook calls the same function its test calls, so the number a learner reads in a
// lesson is the number a test asserts: the tests in this package are the lessons' claims.
package experiments
