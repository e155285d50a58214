package testkit

import "testing"

func TestSetIsLoadedOnce(t *testing.T) {
	a, b := Set(t, "mnist-test"), Set(t, "mnist-test")
	if a != b || a.N == 0 {
		t.Errorf("two calls: %p and %p, %d images; want the same loaded set", a, b, a.N)
	}
	if Backend(t) == nil {
		t.Error("no backend")
	}
}
