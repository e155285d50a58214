// Package plots draws the figures of the GAN teaching kit with gonum/plot.
//
// Every function returns a *Figure: a grid of *plot.Plot tiles with a size and a
// resolution, that renders to PNG or SVG bytes (Figure.PNG, Figure.SVG) or to a file
// (Figure.Save). Package display shows a Figure inline in a GoNB notebook or writes
// it to disk.
//
// # Data
//
// As gonum/plot does, the package takes data, not trainers: it imports no training
// package. It defines the few values it draws:
//
//   - LossHistory, the interface Curves draws (Len records, each with the iteration,
//     the two losses, mean D(x) and mean D(G(z))), and Records, a slice of Record that
//     implements it. A trainer's history type may implement it with two methods (the
//     image GAN's History does); RecordsOf converts a slice of any struct with Record's
//     fields (the point GAN trainer's History).
//   - Snapshot: generated samples and D(x) on a grid at one iteration.
//   - View: what GAN Lab shows at one iteration (a Snapshot's samples and D, real
//     samples, the generator's update directions and its manifold).
//
// Snapshot and View have the fields of the point GAN trainer's values of the same
// names, so those convert with a Go conversion, plots.View(v), and SnapshotsOf and
// ViewsOf convert slices:
//
//	plots.Evolution1D(density, plots.SnapshotsOf(tr.Snapshots()))
//	plots.GANLab(plots.View(v))
//	plots.Curves(plots.RecordsOf(tr.History()))
//
// # Figures
//
//   - Evolution1D: the panel of Figure 1 of Goodfellow et al. (2014), one column per
//     Snapshot: p_data (black, dotted), p_g (green, solid: a Gaussian KDE of the
//     snapshot's samples, see KDE) and the discriminator's D(x) (blue, dashed).
//   - Samples2D: for 2-D targets, D(x) as a heat map (blue for 0, white for 1/2, red
//     for 1; the same fixed range in every panel) with real samples (black) and
//     generated samples (green) on top.
//   - Curves: a training history (LossHistory): the two losses, and the mean D(x) and
//     D(G(z)) against the equilibrium value 1/2.
//   - Lines and LinesLogY: generic line charts of named Series.
//   - GANLab and GANLabSequence: the 2-D view of GAN Lab (Kahng et al. 2018) for a
//     View: D's heat map, real and generated samples, the arrows along which the
//     generator's update moves its samples, and the generator manifold (a grid of
//     noise points warped by G).
//   - ImageGrid: grey images (an image GAN's samples) tiled in a grid; GridImage
//     returns the tiled image itself.
//
// GIF and SaveGIF turn a sequence of same-sized figures into an animated GIF.
//
// Row places figures side by side.
//
// Figures are plain values: their Plots can be adjusted (titles, ranges) before they
// are rendered. Nothing in this package keeps global state.
//
// # Golden images
//
// The tests draw every kind of figure from small synthetic data and compare the PNG
// with a golden image in testdata/ (gonum.org/v1/plot/cmpimg, with a small tolerance
// for anti-aliasing and font rasterisation). A figure that draws differently fails
// until the golden images are rewritten on purpose, with gonum's -regen flag:
//
//	go test ./gankit/plots -regen
//	make golden
//
// then look at the new images (git diff shows which changed) and commit them.
package plots
