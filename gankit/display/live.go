package display

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Live is a figure that is redrawn in place while a computation runs, for instance a
// GAN Lab view after every few training iterations.
//
// In a GoNB notebook the first shown frame is displayed as an image/png output that
// carries a Jupyter display id, and every later frame replaces it ("update_display_data"),
// so the cell shows one figure that changes. Jupyter keeps the last frame in the
// notebook's outputs (JupyterLab when it saves; nbclient, and so `make lessons`, when it
// executes), so exported pages show the final state.
//
// Outside a notebook each shown frame overwrites <dir>/<name>.png, where dir is
// $GANKIT_FIGURES or "figures" as for Show: the file holds the last frame. The path is
// printed at the first frame only.
//
// A Live is safe for use by several goroutines. The zero value is not usable: call
// NewLive.
type Live struct {
	// MinInterval, when positive, limits how often frames are rendered: an Update that
	// comes less than MinInterval after the last shown frame is only remembered, and is
	// shown by the next Update after the interval, or by Close. Rendering a figure
	// takes tens of milliseconds; this keeps a fast training loop from spending its
	// time drawing.
	MinInterval time.Duration

	mu      sync.Mutex
	name    string
	id      string
	shown   int
	last    time.Time
	pending Renderer
	closed  bool
	path    string // Outside a notebook: the file written.

	// Replaced by tests.
	notebook bool
	now      func() time.Time
	send     func(id string, png []byte) error
}

// NewLive returns a Live figure; name is its file name outside a notebook (a plain
// name without extension, checked by the first Update). Nothing is displayed before
// the first Update.
func NewLive(name string) *Live {
	return &Live{
		name:     name,
		id:       "gankit_live_" + gonbui.UniqueId(),
		notebook: gonbui.IsNotebook,
		now:      time.Now,
		send:     sendPNG,
	}
}

// sendPNG displays png in the notebook output identified by id: GoNB creates the output
// the first time it sees id and updates it afterwards.
func sendPNG(id string, png []byte) error {
	gonbui.SendData(&protocol.DisplayData{
		Data:      map[protocol.MIMEType]any{protocol.MIMEImagePNG: png},
		DisplayID: id,
	})
	return gonbui.Error()
}

// Update shows r as the new frame (see MinInterval for frames that are held back). It
// returns an error, and keeps the previous frame, if r fails to render or cannot be
// shown; after Close it returns an error.
func (l *Live) Update(r Renderer) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return fmt.Errorf("display: Live %q: Update after Close", l.name)
	}
	if err := checkName(l.name); err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("display: Live %q: nil renderer", l.name)
	}
	if l.MinInterval > 0 && l.shown > 0 && l.now().Sub(l.last) < l.MinInterval {
		l.pending = r
		return nil
	}
	return l.show(r)
}

// show renders r and displays it; l.mu is held.
func (l *Live) show(r Renderer) error {
	l.pending = nil
	data, err := r.PNG()
	if err != nil {
		return fmt.Errorf("display: Live %q: rendering frame %d: %w", l.name, l.shown+1, err)
	}
	if l.notebook {
		if err := l.send(l.id, data); err != nil {
			return fmt.Errorf("display: Live %q: showing frame %d in the notebook: %w", l.name, l.shown+1, err)
		}
	} else {
		dir := os.Getenv(FiguresEnv)
		if dir == "" {
			dir = DefaultDir
		}
		paths, err := save(pngBytes(data), dir, l.name, []string{"png"})
		if err != nil {
			return fmt.Errorf("display: Live %q: frame %d: %w", l.name, l.shown+1, err)
		}
		if l.path != paths[0] {
			l.path = paths[0]
			fmt.Printf("live figure written to %s (rewritten at each update)\n", l.path)
		}
	}
	l.shown++
	l.last = l.now()
	return nil
}

// Close shows the frame held back by MinInterval, if any, and ends the Live: the last
// frame stays where it is (in the notebook's output, or in the file). Later Updates
// fail; closing again does nothing.
func (l *Live) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.pending != nil {
		return l.show(l.pending)
	}
	return nil
}

// Frames is the number of frames shown so far (held-back updates not counted).
func (l *Live) Frames() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.shown
}

// ID is the Jupyter display id of the Live's notebook output.
func (l *Live) ID() string { return l.id }

// pngBytes is a Renderer of already rendered bytes.
type pngBytes []byte

func (p pngBytes) PNG() ([]byte, error) { return p, nil }
