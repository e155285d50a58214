// Package mnist loads the image data of the image-GAN lessons: MNIST's handwritten digits
// and Zalando's Fashion-MNIST clothes, both 28×28 grey images in ten classes, stored in
// the same IDX format.
//
// Two 10,000-image training subsets ship in the repository's data/ directory (data/README.md has
// their provenance, licences and checksums), so the lessons run offline:
//
//	s, err := mnist.Load("mnist") // or "fashion"
//
// Two held-out subsets, the first 2,000 images of each official test set, ship beside
// them for evaluation only (the classifier of gankit/classifier and its metrics):
//
//	test, err := mnist.Load("mnist-test") // or "fashion-test"
//
// Load finds data/ in the kit (kit.Root, else up from the working directory), and checks
// each file's SHA-256 against a checksum compiled into this package before parsing it,
// so a corrupted or modified file is refused, never silently used. Every reader also
// checks the IDX format itself: the gzip stream, the magic number, header dimensions
// against the file's length, one label per image, labels in range. Errors name the file.
//
// A Set holds the images as bytes, flat and row-major ([N, 28, 28]); Float32 and Batch
// turn them into float32 in [-1, 1] (the range of a tanh generator) as an [N, 28, 28, 1]
// channels-last tensor, Batch drawing a minibatch from an explicit seeded *rand.Rand.
//
// Download fetches the full 70,000-image sets (the four standard files, train and t10k
// images and labels) from the official mirrors into a cache directory, verifying each
// file's MD5 against the checksums torchvision publishes; ReadSet reads them, or any other
// IDX image/label pair, with the same checks as Load minus the checksum.
package mnist
