package main

import (
	"bytes"
	"math/rand"
	"testing"
)

func TestRingBeforeWrap(t *testing.T) {
	r := newRing(16)
	r.write([]byte("hello"))
	data, from, dropped := r.read(0, 100)
	if string(data) != "hello" || from != 0 || dropped != 0 || r.start() != 0 || r.produced != 5 {
		t.Fatalf("got %q from %d dropped %d start %d produced %d", data, from, dropped, r.start(), r.produced)
	}
	data, from, _ = r.read(2, 2)
	if string(data) != "ll" || from != 2 {
		t.Fatalf("partial read: %q from %d", data, from)
	}
}

func TestRingWrapAndDropAccounting(t *testing.T) {
	r := newRing(8)
	r.write([]byte("abcdef"))
	r.write([]byte("ghij")) // wraps: "ab" overwritten
	if r.produced != 10 || r.start() != 2 {
		t.Fatalf("produced %d start %d", r.produced, r.start())
	}
	data, from, dropped := r.read(0, 100)
	if string(data) != "cdefghij" || from != 2 || dropped != 2 {
		t.Fatalf("from 0: %q from %d dropped %d", data, from, dropped)
	}
	data, from, dropped = r.read(5, 3)
	if string(data) != "fgh" || from != 5 || dropped != 0 {
		t.Fatalf("from 5: %q from %d dropped %d", data, from, dropped)
	}
	// A cursor beyond the end is treated as the end: nothing, no drop.
	data, from, dropped = r.read(99, 10)
	if len(data) != 0 || from != 10 || dropped != 0 {
		t.Fatalf("past end: %q from %d dropped %d", data, from, dropped)
	}
	// Negative cursors are clamped to 0 and count as dropped like any cursor before start.
	_, from, dropped = r.read(-5, 10)
	if from != 2 || dropped != 2 {
		t.Fatalf("negative cursor: from %d dropped %d", from, dropped)
	}
}

func TestRingWriteLargerThanCapacity(t *testing.T) {
	r := newRing(4)
	r.write([]byte("0123456789"))
	data, from, dropped := r.read(0, 100)
	if string(data) != "6789" || from != 6 || dropped != 6 || r.produced != 10 {
		t.Fatalf("got %q from %d dropped %d produced %d", data, from, dropped, r.produced)
	}
	r.write([]byte("ab"))
	data, from, _ = r.read(0, 100)
	if string(data) != "89ab" || from != 8 {
		t.Fatalf("after wrap: %q from %d", data, from)
	}
}

func TestRingGrowsLazily(t *testing.T) {
	r := newRing(1 << 20)
	r.write([]byte("tiny"))
	if len(r.buf) != minRingGrowth {
		t.Fatalf("a 4-byte write allocated %d bytes", len(r.buf))
	}
	r.write(make([]byte, 5000))
	if len(r.buf) != 2*minRingGrowth {
		t.Fatalf("after 5004 bytes the buffer is %d bytes", len(r.buf))
	}
	r.write(make([]byte, 3<<20))
	if len(r.buf) != 1<<20 {
		t.Fatalf("the buffer grew to %d bytes, beyond its capacity", len(r.buf))
	}
}

// TestRingMatchesReference writes and reads at random and compares with a plain byte slice that
// keeps everything.
func TestRingMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, capacity := range []int{1, 7, 4096, 10000} {
		r := newRing(capacity)
		var all []byte
		for i := 0; i < 2000; i++ {
			chunk := make([]byte, rng.Intn(3*capacity/2+2))
			rng.Read(chunk)
			r.write(chunk)
			all = append(all, chunk...)
			wantStart := max(0, len(all)-capacity)
			if r.start() != int64(wantStart) || r.produced != int64(len(all)) {
				t.Fatalf("cap %d: start %d produced %d, want %d %d", capacity, r.start(), r.produced, wantStart, len(all))
			}
			cursor := int64(rng.Intn(len(all) + 3))
			maxN := rng.Intn(capacity+2) + 1
			data, from, dropped := r.read(cursor, maxN)
			wantFrom := min(max(cursor, int64(wantStart)), int64(len(all)))
			wantEnd := min(wantFrom+int64(maxN), int64(len(all)))
			if from != wantFrom || dropped != max(0, int64(wantStart)-cursor) ||
				!bytes.Equal(data, all[wantFrom:wantEnd]) {
				t.Fatalf("cap %d cursor %d max %d: from %d dropped %d len %d", capacity, cursor, maxN, from, dropped, len(data))
			}
			dst := make([]byte, maxN)
			n, from2, dropped2 := r.readInto(dst, cursor)
			if from2 != from || dropped2 != dropped || !bytes.Equal(dst[:n], data) {
				t.Fatalf("readInto disagrees with read")
			}
		}
	}
}
