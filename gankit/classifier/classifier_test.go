package classifier_test

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/mnist"
)

// Accuracies measured on the held-out test subsets (2,000 images each) with the shipped
// weights; the tests allow a margin below them.
const (
	mnistMeasured   = 0.9830
	fashionMeasured = 0.8880
	margin          = 0.005
)

var (
	mnistModel *classifier.Model
	mnistTest  *mnist.Set
)

// TestMain loads the MNIST model once (which also creates the backend, whose one line
// on stdout would otherwise land in an Example's output).
func TestMain(m *testing.M) {
	var err error
	if mnistModel, err = classifier.Load("mnist"); err == nil {
		mnistTest, err = mnist.Load("mnist-test")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// The acceptance criterion of the image-GAN issue: the shipped MNIST classifier is at
// least 97% accurate on held-out test images.
func TestShippedAccuracy(t *testing.T) {
	acc, err := mnistModel.Accuracy(mnistTest)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("mnist: %.4f on %s (file records %.4f)", acc, mnistTest.Name, mnistModel.Info.TestAccuracy)
	if acc < 0.97 || acc < mnistMeasured-margin {
		t.Errorf("MNIST test accuracy %.4f, want >= %.4f (measured %.4f) and >= 0.97", acc, mnistMeasured-margin, mnistMeasured)
	}
	if mnistModel.Info.Set != "mnist" || mnistModel.Info.TestSet != "mnist-test" || math.Abs(mnistModel.Info.TestAccuracy-acc) > 0.002 ||
		!strings.Contains(mnistModel.Info.Command, "-set mnist") {
		t.Errorf("the file's header does not match: %+v", mnistModel.Info)
	}
	fashion, err := classifier.Load("fashion")
	if err != nil {
		t.Fatal(err)
	}
	ftest, err := mnist.Load("fashion-test")
	if err != nil {
		t.Fatal(err)
	}
	facc, err := fashion.Accuracy(ftest)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fashion: %.4f on %s (file records %.4f)", facc, ftest.Name, fashion.Info.TestAccuracy)
	if facc < fashionMeasured-margin {
		t.Errorf("Fashion-MNIST test accuracy %.4f, want >= %.4f (measured %.4f)", facc, fashionMeasured-margin, fashionMeasured)
	}
	// The MNIST classifier on clothes, and the other way round, is far worse: the
	// two models are not interchangeable.
	if cross, _ := mnistModel.Accuracy(ftest); cross > 0.5 {
		t.Errorf("the MNIST classifier is %.3f accurate on Fashion-MNIST, want < 0.5", cross)
	}
}

// Predict, Logits, Features and PredictWithFeatures agree, in chunks of any size (the
// model evaluates 500 images at a time and pads the last chunk).
func TestOutputsAgree(t *testing.T) {
	x := mnistTest.Float32(-1, 1)[:777*784]
	pred, err := mnistModel.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	logits, err := mnistModel.Logits(x)
	if err != nil || len(logits) != 777*10 {
		t.Fatalf("Logits: %d values, %v", len(logits), err)
	}
	feats, err := mnistModel.Features(x)
	if err != nil || len(feats) != 777 || len(feats[0]) != classifier.FeatureDim {
		t.Fatalf("Features: %d rows, %v", len(feats), err)
	}
	p2, f2, err := mnistModel.PredictWithFeatures(x)
	if err != nil || !slices.Equal(p2, pred) {
		t.Fatalf("PredictWithFeatures labels differ from Predict's (%v)", err)
	}
	one, err := mnistModel.Predict(x[776*784:])
	if err != nil || one[0] != pred[776] {
		t.Errorf("image 776 alone: %v, in the batch: %d (%v)", one, pred[776], err)
	}
	for i := range feats {
		if !slices.Equal(feats[i], f2[i]) {
			t.Fatalf("features of image %d differ between Features and PredictWithFeatures", i)
		}
		for _, v := range feats[i] {
			if v < 0 {
				t.Fatalf("feature of image %d is %v: features are ReLU outputs, >= 0", i, v)
			}
		}
	}
	if _, err := mnistModel.Predict(x[:100]); err == nil {
		t.Error("Predict on 100 values (not whole images): no error")
	}
}

// The Fréchet distance on the classifier's features separates real from fake: two halves
// of the real test subset are close, real images and uniform noise far apart, and real
// digits and real clothes in between.
func TestFrechetSanity(t *testing.T) {
	x := mnistTest.Float32(-1, 1)
	half := mnistTest.N / 2 * 784
	fa, err := mnistModel.Features(x[:half])
	if err != nil {
		t.Fatal(err)
	}
	fb, err := mnistModel.Features(x[half:])
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]float32, half)
	for i := range noise {
		noise[i] = float32(2*rng.Float64() - 1)
	}
	fn, err := mnistModel.Features(noise)
	if err != nil {
		t.Fatal(err)
	}
	ftest, err := mnist.Load("fashion-test")
	if err != nil {
		t.Fatal(err)
	}
	ff, err := mnistModel.Features(ftest.Float32(-1, 1)[:half])
	if err != nil {
		t.Fatal(err)
	}
	realReal, err1 := metrics.Frechet(fa, fb)
	realNoise, err2 := metrics.Frechet(fa, fn)
	realFashion, err3 := metrics.Frechet(fa, ff)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	t.Logf("Fréchet on MNIST-classifier features: real/real %.2f, real/fashion %.2f, real/noise %.2f", realReal, realFashion, realNoise)
	if !(realReal*20 < realNoise && realReal*5 < realFashion) {
		t.Errorf("Fréchet real/real %.2f, real/fashion %.2f, real/noise %.2f: want real/real at least 5x below fashion and 20x below noise",
			realReal, realFashion, realNoise)
	}
}

// The class histogram of real test digits covers all ten classes, close to uniform.
func TestRealClassHistogram(t *testing.T) {
	pred, err := mnistModel.Predict(mnistTest.Float32(-1, 1))
	if err != nil {
		t.Fatal(err)
	}
	r, err := metrics.ClassHistogram(pred, 10, 100)
	if err != nil {
		t.Fatal(err)
	}
	if r.Covered != 10 || r.TV > 0.05 {
		t.Errorf("real test digits: %d classes with >= 100 of 2000, TV to uniform %.3f; want 10 and < 0.05 (counts %v)", r.Covered, r.TV, r.Counts)
	}
}

// Save writes a file that LoadFile reads back to the same outputs.
func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.bin")
	if err := mnistModel.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := classifier.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x := mnistTest.Float32(-1, 1)[:50*784]
	a, _ := mnistModel.Logits(x)
	b, _ := back.Logits(x)
	if !slices.Equal(a, b) || back.Info != mnistModel.Info {
		t.Errorf("reloaded model differs: info %+v vs %+v", back.Info, mnistModel.Info)
	}
}

// LoadFile refuses every damaged or foreign file with an error that names it and says
// what is wrong.
func TestLoadFileRejectsBadFiles(t *testing.T) {
	path, err := classifier.ShippedPath("mnist")
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hlen := int(binary.LittleEndian.Uint32(good[8:]))
	// resum replaces the trailing SHA-256 so that only the other check can fail.
	resum := func(b []byte) []byte {
		body := b[:len(b)-32]
		sum := sha256.Sum256(body)
		return append(slices.Clone(body), sum[:]...)
	}
	flipped := slices.Clone(good)
	flipped[len(good)/2] ^= 0x10
	otherArch := slices.Clone(good)
	i := strings.Index(string(otherArch[:12+hlen]), classifier.Arch)
	copy(otherArch[i:], "gankit-cnn3-v9")
	otherShape := slices.Clone(good)
	j := strings.Index(string(otherShape[:12+hlen]), `"dims":[5,5,1,32]`)
	copy(otherShape[j:], `"dims":[3,5,1,32]`)
	nan := slices.Clone(good)
	binary.LittleEndian.PutUint32(nan[12+hlen:], math.Float32bits(float32(math.NaN())))
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"truncated", good[:len(good)-1000], "truncated"},
		{"header truncated", good[:12+hlen/2], "truncated"},
		{"trailing bytes", append(slices.Clone(good), 0), "trailing bytes"},
		{"one bit flipped", flipped, "SHA-256 mismatch"},
		{"other magic", append([]byte("GKCLF999"), good[8:]...), `want "GKCLF001"`},
		{"other architecture", resum(otherArch), `architecture "gankit-cnn3-v9"`},
		{"other shape", resum(otherShape), "conv1/kernel [3 5 1 32], want conv1/kernel [5 5 1 32]"},
		{"NaN weight", resum(nan), "is NaN"},
	} {
		p := filepath.Join(t.TempDir(), "bad.bin")
		if err := os.WriteFile(p, tc.b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := classifier.LoadFile(p)
		if err == nil || !errors.Is(err, classifier.ErrFormat) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want ErrFormat naming the file and containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := classifier.LoadFile(filepath.Join(t.TempDir(), "missing.bin")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := classifier.Load("cifar10"); !errors.Is(err, classifier.ErrNoShipped) || !strings.Contains(err.Error(), "shipped: fashion, mnist") {
		t.Errorf("Load(cifar10): %v", err)
	}
}

// Train learns: one short epoch on 3,000 random training images already classifies most
// test digits.
func TestTrainLearns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few seconds")
	}
	full, err := mnist.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	idx := rng.Perm(full.N)[:3000]
	im := &mnist.Images{N: len(idx), Rows: 28, Cols: 28}
	labels := make([]uint8, len(idx))
	for k, i := range idx {
		im.Pixels = append(im.Pixels, full.Image(i)...)
		labels[k] = full.Labels[i]
	}
	sub, err := mnist.NewSet("mnist", im, labels, full.ClassNames)
	if err != nil {
		t.Fatal(err)
	}
	cfg := classifier.TrainConfig{Seed: 3, Epochs: 2, Batch: 50, LearningRate: 2e-3}
	m, err := classifier.Train(sub, cfg)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := m.Accuracy(mnistTest)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("2 epochs on 3,000 images: test accuracy %.4f in %.1f s", acc, m.Info.TrainSeconds)
	if acc < 0.85 {
		t.Errorf("test accuracy %.4f after 2 epochs on 3,000 images, want >= 0.85", acc)
	}
	if _, err := classifier.Train(sub, classifier.TrainConfig{Batch: 5000}); err == nil {
		t.Error("Train with a batch larger than the set: no error")
	}
}

// LabelAccuracy takes images and labels as slices (a generator's outputs, say): on a whole
// set it counts the predictions that match, on a relabelled copy what the relabelling
// leaves, and it refuses mismatched or empty inputs; Accuracy gives the same count for an
// mnist.Set.
func TestLabelAccuracy(t *testing.T) {
	const n = 200
	images, labels := mnistTest.Float32(-1, 1)[:n*classifier.Size*classifier.Size], mnistTest.Labels[:n]
	pred, err := mnistModel.Predict(images)
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for i, p := range pred {
		if p == int(labels[i]) {
			right++
		}
	}
	got, err := mnistModel.LabelAccuracy(images, labels)
	if err != nil || got != float64(right)/n {
		t.Errorf("LabelAccuracy = %v, %v; want %v", got, err, float64(right)/n)
	}
	// Labels that disagree with every prediction: accuracy 0.
	wrong := make([]uint8, n)
	for i, p := range pred {
		wrong[i] = uint8((p + 1) % classifier.NumClasses)
	}
	if got, err := mnistModel.LabelAccuracy(images, wrong); err != nil || got != 0 {
		t.Errorf("with every label wrong: %v, %v; want 0", got, err)
	}
	// Accuracy on a set of ten images whose labels agree with the predictions on exactly
	// seven of them (counted by hand): 7/10.
	const ten = 10
	handLabels := make([]uint8, ten)
	for i, p := range pred[:ten] {
		handLabels[i] = uint8(p)
		if i >= 7 {
			handLabels[i] = uint8((p + 1) % classifier.NumClasses)
		}
	}
	set := &mnist.Set{Name: "ten images", Images: mnistTest.Images[:ten*classifier.Size*classifier.Size], Labels: handLabels,
		N: ten, Rows: classifier.Size, Cols: classifier.Size, ClassNames: mnistTest.ClassNames}
	if got, err := mnistModel.Accuracy(set); err != nil || got != 0.7 {
		t.Errorf("Accuracy with 7 of 10 labels right = %v, %v; want 0.7", got, err)
	}
	small := *set
	small.Rows, small.Cols = 14, 14
	if _, err := mnistModel.Accuracy(&small); err == nil {
		t.Error("Accuracy of 14×14 images: no error")
	}
	if _, err := mnistModel.LabelAccuracy(images, labels[:n-1]); err == nil || !strings.Contains(err.Error(), "200 images but 199 labels") {
		t.Errorf("mismatched labels: error %v", err)
	}
	if _, err := mnistModel.LabelAccuracy(nil, nil); err == nil {
		t.Error("no images: no error")
	}
}
