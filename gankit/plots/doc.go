// Package plots draws the figures of the GAN teaching kit with gonum/plot.
//
// Every function returns a *Figure: a grid of *plot.Plot tiles with a size and a
// resolution, that renders to PNG or SVG bytes (Figure.PNG, Figure.SVG) or to a file
// (Figure.Save). Package display shows a Figure inline in a GoNB notebook or writes
// it to disk.
//
// The figures:
//
//   - Evolution1D: the panel of Figure 1 of Goodfellow et al. (2014), one column per
//     pointgan.Snapshot: p_data (black, dotted), p_g (green, solid: a Gaussian KDE of
//     the snapshot's samples, see KDE) and the discriminator's D(x) (blue, dashed).
//   - Samples2D: for 2-D targets, D(x) as a heat map (blue for 0, white for 1/2, red
//     for 1; the same fixed range in every panel) with real samples (black) and
//     generated samples (green) on top.
//   - Curves: the training history (pointgan.Record): the two losses, and the mean
//     D(x) and D(G(z)) against the equilibrium value 1/2.
//   - Lines and LinesLogY: generic line charts of named Series.
//   - GANLab and GANLabSequence: the 2-D view of GAN Lab (Kahng et al. 2018) for a
//     pointgan.View: D's heat map, real and generated samples, the arrows along which
//     the generator's update moves its samples, and the generator manifold (a grid of
//     noise points warped by G).
//
// GIF and SaveGIF turn a sequence of same-sized figures into an animated GIF.
//
// Row places figures side by side.
//
// Figures are plain values: their Plots can be adjusted (titles, ranges) before they
// are rendered. Nothing in this package keeps global state.
package plots
