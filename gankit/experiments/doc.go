// Package experiments holds the measured experiments of the lessons, one function each,
// with the fixed seeds and settings the lesson text quotes.
//
// A notebook calls the same function a test would, so the number a learner reads in a
// lesson is the number that is asserted. Where a lesson's experiment is quick (lessons 1
// and 2, lesson 4's parallel lines, lesson 6's boundaries), this package's tests assert its
// claim too.
//
// Lesson 14 trains nothing: it scores generators built from the shipped data with a known
// flaw each (BuildGenerators, EvaluationLesson) and checks its table and claims with
// CheckEvaluation, in the notebook and in this package's tests (outside -short).
//
// Most lessons train for minutes, too long to run twice in `make test`, so they check their
// claims in the cell that shows the numbers, and a failed check fails the notebook and
// with it `make test`: lesson 3 (CheckRecovers, CheckFewerModes), 4 (CheckWGANClip), 5
// (CheckCritics), 7 (CheckDCGAN), 8 (CheckConditional), 9 (CheckInfoGAN), 10 (CheckPix2Pix),
// 11 (CheckCycleGAN), 12 (CheckVAE), 13 (CheckStructure, CheckBlur, CheckAutoEncoder,
// CheckLearners, CheckDigitsDAlone, CheckDivergenceFits) and 15 (CheckStabilisers and
// CheckStabilisersOnGrid; its Dirac-GAN claims, CheckDirac and CheckDiracDecay, are quick
// and asserted in this package's tests as well). A failed claim is an error that wraps ErrClaim;
// an error without it is about the call (a missing result, too few measurements). This
// package's tests check those functions on made-up results, the settings, and the plumbing
// (Sweep, the lessons' runners) on short runs. `go test -short` skips the tests
// that train (the claims of lessons 1, 2 and 6 and the image lessons' runners).
//
// Independent runs of a lesson train two at a time (pointgan.TrainAll, Sweep, bounded by
// errgroup): a small network keeps only part of 2 cores busy, and every run has its own
// seed, so the results do not depend on it. A failed run is a *pointgan.RunError that
// names it.
//
// This package keeps only each lesson's settings, claims and checks; general tools belong
// to the package they are about: the statistics the lessons print (W1Gaussian, MeanStd,
// Mean, PlusMinus) are in gankit/metrics; training point GANs side by side
// (pointgan.TrainAll), the critic's scores and diagnosis (pointgan.W1Estimates,
// pointgan.DiagnoseCritic) and the mode-collapse score of a generator
// (pointgan.ScoreModes) in gankit/pointgan; CycleGAN's cycle-loss curve and ink
// statistics (cyclegan.CycleCurve, cyclegan.InkMeans, cyclegan.InkThreshold) in
// gankit/cyclegan; latent interpolation (vae.LatentPath) in gankit/vae.
package experiments
