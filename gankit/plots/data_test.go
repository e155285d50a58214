package plots

import (
	"reflect"
	"testing"
)

// The conversions keep every field: a type with the same fields converts both ways.
func TestConversions(t *testing.T) {
	type snapshot struct {
		Iteration    int
		Samples      []float32
		Dim          int
		GridX, GridY []float64
		D            []float64
		Critic       []float64
	}
	type view struct {
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
	type record struct {
		Iteration                  int
		DLoss, GLoss, DReal, DFake float64
	}
	s := snapshot{7, []float32{1}, 1, []float64{0, 1}, nil, []float64{0.2, 0.8}, []float64{-1, 3}}
	if got := SnapshotsOf([]snapshot{s}); len(got) != 1 || !reflect.DeepEqual(snapshot(got[0]), s) {
		t.Errorf("SnapshotsOf = %+v, want the fields of %+v", got, s)
	}
	v := view{3, 2, []float32{1, 2}, []float32{3, 4}, []float32{5, 6}, []float64{0, 1}, []float64{0, 1}, []float64{0, 0, 0, 1}, []float32{7, 8}, 2}
	if got := ViewsOf([]view{v, v}); len(got) != 2 || !reflect.DeepEqual(view(got[1]), v) {
		t.Errorf("ViewsOf = %+v, want the fields of %+v", got, v)
	}
	r := record{4, 1.2, 0.7, 0.6, 0.3}
	h := RecordsOf([]record{r})
	it, dl, gl, dr, df := h.Losses(0)
	if h.Len() != 1 || it != 4 || dl != 1.2 || gl != 0.7 || dr != 0.6 || df != 0.3 {
		t.Errorf("RecordsOf(%+v): Len %d, Losses(0) = %d %g %g %g %g", r, h.Len(), it, dl, gl, dr, df)
	}
	if len(RecordsOf([]record(nil))) != 0 {
		t.Error("RecordsOf(nil) is not empty")
	}
}
