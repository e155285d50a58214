// Package classifier is the small MNIST / Fashion-MNIST classifier that the image-GAN
// lessons use as their judge: what it sees in a generator's samples gives the
// classifier-feature Fréchet distance, the class histogram (mode coverage over the ten
// classes), a conditional GAN's accuracy on the labels it was asked for, and InfoGAN's
// code-class agreement (see gankit/metrics for those measures).
//
// # The network
//
// A CNN on [n, 28, 28, 1] images in [-1, 1] (the range of mnist.Set.Float32(-1, 1) and
// of a tanh generator), built from gankit/conv and gankit/nets:
//
//	5×5 conv 32, stride 2, ReLU   → 14×14×32
//	3×3 conv 64, stride 2, ReLU   →  7×7×64
//	3×3 conv 64, stride 2, ReLU   →  4×4×64
//	dense 1024 → 128, ReLU        → the features (Model.Features)
//	dense 128 → 10                → the logits (Model.Logits, Model.Predict)
//
// The 128 features play the role of Inception-v3's pool features in FID: a Fréchet
// distance on them is small between two sets of real images and large between real
// images and noise, but its scale is this network's own, not comparable with published
// FIDs.
//
// # Trained weights
//
// Weights trained on the shipped 10,000 training images ship in data/ with the command
// that wrote them:
//
//	go run ./cmd/classifier -set mnist -out data/mnist-classifier.bin
//	go run ./cmd/classifier -set fashion -out data/fashion-classifier.bin
//
// and load with Load("mnist") or Load("fashion"). Their accuracy on the held-out test
// subsets (the first 2,000 official test images, mnist.Load("mnist-test")) is recorded
// in the files (Model.Info) and checked by this package's tests; see data/README.md for
// the numbers. Train is what the command runs: Adam on the cross-entropy, random shifts
// of up to 2 pixels as augmentation, seeded.
//
// The file format (Model.Save) is a magic string, a JSON header naming and shaping each
// weight tensor, the float32 weights and a SHA-256 of all that; LoadFile refuses a
// truncated, corrupted or mismatched file with an error wrapping ErrFormat.
package classifier
