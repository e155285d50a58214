package display

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeNotebook makes l behave as in a notebook, recording what it sends, with a clock
// that the test moves.
type fakeNotebook struct {
	ids    []string
	frames [][]byte
	clock  time.Time
	fail   bool
}

func (f *fakeNotebook) attach(l *Live) {
	l.notebook = true
	l.now = func() time.Time { return f.clock }
	l.send = func(id string, png []byte) error {
		if f.fail {
			return fmt.Errorf("pipe closed")
		}
		f.ids = append(f.ids, id)
		f.frames = append(f.frames, png)
		return nil
	}
}

func TestLiveNotebookUpdatesOneOutput(t *testing.T) {
	nb := &fakeNotebook{clock: time.Unix(0, 0)}
	l := NewLive("training")
	nb.attach(l)
	for i := range 3 {
		if err := l.Update(pngOnly(fmt.Sprintf("frame %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if len(nb.frames) != 3 || l.Frames() != 3 {
		t.Fatalf("sent %d frames (Frames() = %d), want 3", len(nb.frames), l.Frames())
	}
	for i, id := range nb.ids {
		if id != l.ID() || !strings.HasPrefix(id, "gankit_live_") {
			t.Errorf("frame %d sent to display id %q, want the Live's %q", i, id, l.ID())
		}
	}
	if string(nb.frames[2]) != "frame 2" {
		t.Errorf("last frame %q, want %q", nb.frames[2], "frame 2")
	}
	if other := NewLive("training"); other.ID() == l.ID() {
		t.Errorf("two Lives share the display id %q", l.ID())
	}
	// A failing render keeps the previous frame and says which frame failed.
	if err := l.Update(failing{}); err == nil || !strings.Contains(err.Error(), "frame 4") {
		t.Errorf("failing renderer: error %v, want one naming frame 4", err)
	}
	nb.fail = true
	if err := l.Update(pngOnly("x")); err == nil || !strings.Contains(err.Error(), "notebook") {
		t.Errorf("failing notebook pipe: error %v, want one mentioning the notebook", err)
	}
	nb.fail = false
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Update(pngOnly("late")); err == nil {
		t.Error("Update after Close: want an error")
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if len(nb.frames) != 3 {
		t.Errorf("%d frames sent, want 3", len(nb.frames))
	}
}

func TestLiveMinInterval(t *testing.T) {
	nb := &fakeNotebook{clock: time.Unix(0, 0)}
	l := NewLive("throttled")
	l.MinInterval = time.Second
	nb.attach(l)
	step := func(d time.Duration, frame string) {
		t.Helper()
		nb.clock = nb.clock.Add(d)
		if err := l.Update(pngOnly(frame)); err != nil {
			t.Fatal(err)
		}
	}
	step(0, "a")                    // First frame: shown at once.
	step(300*time.Millisecond, "b") // Held back.
	step(300*time.Millisecond, "c") // Held back, replaces b.
	step(500*time.Millisecond, "d") // 1.1 s after a: shown.
	step(100*time.Millisecond, "e") // Held back: Close shows it.
	if got := l.Frames(); got != 2 {
		t.Errorf("%d frames shown before Close, want 2", got)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range nb.frames {
		got = append(got, string(f))
	}
	if strings.Join(got, ",") != "a,d,e" {
		t.Errorf("frames shown %v, want [a d e]", got)
	}
}

func TestLiveOutsideNotebookWritesLastFrame(t *testing.T) {
	if InNotebook() {
		t.Skip("running in a notebook")
	}
	dir := filepath.Join(t.TempDir(), "figs")
	t.Setenv(FiguresEnv, dir)
	l := NewLive("live")
	for i := range 3 {
		if err := l.Update(pngOnly(fmt.Sprintf("\x89PNG frame %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "live.png"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, []byte("\x89PNG frame 2")) {
		t.Errorf("live.png holds %q, want the last frame", data)
	}
	// A real figure renders too.
	l = NewLive("figure")
	if err := l.Update(figure(t)); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, "figure.png")); err != nil || st.Size() < 1000 {
		t.Errorf("figure.png: %v", err)
	}
	for _, name := range []string{"", "a/b", "x.png"} {
		if err := NewLive(name).Update(pngOnly("x")); err == nil {
			t.Errorf("NewLive(%q).Update: want an error", name)
		}
	}
	if err := NewLive("ok").Update(nil); err == nil {
		t.Error("nil renderer: want an error")
	}
}
