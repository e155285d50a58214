package plots

// The data the figures draw. This package imports no training package: a trainer's
// values reach it either through methods (LossHistory) or by a Go conversion. Record,
// Snapshot and View have exactly the fields of the point GAN trainer's values of the
// same names, so one converts to the other with plots.View(v), and RecordsOf,
// SnapshotsOf and ViewsOf convert whole slices.

// LossHistory is a training history as Curves draws it, in the style of gonum/plot's
// XYer: Len records, record i holding the iteration, the discriminator's and the
// generator's losses, and the mean D(x) on real and D(G(z)) on generated samples.
// Records is one; a trainer's history type may be another.
type LossHistory interface {
	Len() int
	Losses(i int) (iteration int, dLoss, gLoss, dReal, dFake float64)
}

// Record is one iteration of a training history.
type Record struct {
	// Iteration counts generator steps, starting at 1.
	Iteration int
	// DLoss and GLoss are the discriminator's and the generator's losses.
	DLoss, GLoss float64
	// DReal and DFake are the mean D(x) on real samples and D(G(z)) on generated ones.
	DReal, DFake float64
}

// Records is a LossHistory held in a slice.
type Records []Record

// Len implements LossHistory.
func (r Records) Len() int { return len(r) }

// Losses implements LossHistory.
func (r Records) Losses(i int) (iteration int, dLoss, gLoss, dReal, dFake float64) {
	return r[i].Iteration, r[i].DLoss, r[i].GLoss, r[i].DReal, r[i].DFake
}

// RecordFields is any record type with exactly Record's fields (names, types, order),
// which therefore converts to Record.
type RecordFields interface {
	~struct {
		Iteration    int
		DLoss, GLoss float64
		DReal, DFake float64
	}
}

// RecordsOf converts a history of records with Record's fields (the point GAN
// trainer's History, for one) to Records.
func RecordsOf[R RecordFields](history []R) Records {
	out := make(Records, len(history))
	for i, r := range history {
		out[i] = Record(r)
	}
	return out
}

// Snapshot is the state of a 1-D or 2-D GAN at one moment: generated samples and the
// discriminator's D(x) on a grid. Evolution1D and Samples2D draw sequences of them.
type Snapshot struct {
	// Iteration is the number of completed iterations; it titles the panel.
	Iteration int
	// Samples are generated points, flat and row-major (Dim values per point).
	Samples []float32
	// Dim is the number of coordinates per point: 1 or 2.
	Dim int
	// GridX (and, in 2-D, GridY) are the grid's coordinates; in 1-D GridY is nil.
	GridX, GridY []float64
	// D is D(x) on the grid, in [0, 1]: D[i] at GridX[i] in 1-D;
	// D[iy*len(GridX)+ix] at (GridX[ix], GridY[iy]) in 2-D.
	D []float64
	// Critic is the discriminator's raw output on the same grid, when D is a rescaled
	// Wasserstein critic; the figures draw D and leave Critic out.
	Critic []float64
}

// SnapshotFields is any snapshot type with exactly Snapshot's fields.
type SnapshotFields interface {
	~struct {
		Iteration    int
		Samples      []float32
		Dim          int
		GridX, GridY []float64
		D            []float64
		Critic       []float64
	}
}

// SnapshotsOf converts snapshots with Snapshot's fields (the point GAN trainer's
// Snapshots, for one) to Snapshots.
func SnapshotsOf[S SnapshotFields](snaps []S) []Snapshot {
	out := make([]Snapshot, len(snaps))
	for i, s := range snaps {
		out[i] = Snapshot(s)
	}
	return out
}

// View is what GANLab draws of a 2-D GAN at one moment: a Snapshot's samples and D,
// real samples, the direction in which the generator's next update moves each
// generated sample, and the generator manifold.
type View struct {
	// Iteration is the number of completed iterations; it titles the panel.
	Iteration int
	// Dim is the number of coordinates per point; GANLab draws 2.
	Dim int
	// Real are real samples, flat and row-major (Dim values per point).
	Real []float32
	// Samples are generated samples, laid out as Real.
	Samples []float32
	// Gradients holds, per generated sample, the direction in which the generator's
	// update moves it (laid out as Samples); nil draws no arrows.
	Gradients []float32
	// GridX, GridY and D are the discriminator's D(x) on a grid, as in Snapshot.
	GridX, GridY []float64
	D            []float64
	// Manifold is the generator applied to a regular ManifoldSize x ManifoldSize grid
	// of noise points, flat and row-major: point (row iy, column ix) has its Dim
	// coordinates at Manifold[(iy*ManifoldSize+ix)*Dim:]. Neighbours in a row or a
	// column are neighbours in noise space. Nil draws no manifold.
	Manifold []float32
	// ManifoldSize is the number of noise points per axis of Manifold (0 when nil).
	ManifoldSize int
}

// ViewFields is any view type with exactly View's fields.
type ViewFields interface {
	~struct {
		Iteration    int
		Dim          int
		Real         []float32
		Samples      []float32
		Gradients    []float32
		GridX, GridY []float64
		D            []float64
		Manifold     []float32
		ManifoldSize int
	}
}

// ViewsOf converts views with View's fields (the point GAN trainer's View, for one) to
// Views.
func ViewsOf[V ViewFields](views []V) []View {
	out := make([]View, len(views))
	for i, v := range views {
		out[i] = View(v)
	}
	return out
}
