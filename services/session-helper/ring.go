package main

// ring keeps the most recent output of a session, addressed by absolute offsets: offset 0 is the
// first byte the process ever wrote, and an offset never changes meaning. Clients remember the
// offset they have seen up to (their cursor) and ask for "everything from here"; whatever was
// overwritten in between is reported as dropped instead of being silently skipped.
//
// The backing array grows on demand up to capacity, so a session that prints little costs little
// (a 1 MiB buffer is the default, most sessions never fill it). ring is not safe for concurrent
// use: the session's mutex guards it.
type ring struct {
	buf      []byte // len(buf) <= capacity; byte at offset o lives at buf[o % capacity]
	capacity int
	produced int64 // total bytes ever written: the offset after the newest byte
}

// minRingGrowth is the smallest allocation step, so tiny writes don't reallocate every time.
const minRingGrowth = 4 << 10

func newRing(capacity int) *ring {
	if capacity < 1 {
		capacity = 1
	}
	return &ring{capacity: capacity}
}

// start is the offset of the oldest byte still held.
func (r *ring) start() int64 {
	if r.produced > int64(r.capacity) {
		return r.produced - int64(r.capacity)
	}
	return 0
}

// write appends p, overwriting the oldest bytes once the buffer is full.
func (r *ring) write(p []byte) {
	total := int64(len(p))
	if len(p) > r.capacity { // only the tail can survive anyway
		p = p[len(p)-r.capacity:]
	}
	// Before the first wrap, byte o is at buf[o]; grow so that everything fits. Once the buffer
	// has reached capacity it never grows again and indices wrap.
	skipped := total - int64(len(p))
	end := r.produced + total
	if need := min(end, int64(r.capacity)); int64(len(r.buf)) < need {
		r.grow(int(need))
	}
	off := r.produced + skipped
	for len(p) > 0 {
		i := int(off % int64(r.capacity))
		n := copy(r.buf[i:], p)
		p = p[n:]
		off += int64(n)
	}
	r.produced = end
}

func (r *ring) grow(need int) {
	size := max(need, 2*len(r.buf), minRingGrowth)
	size = min(size, r.capacity)
	nb := make([]byte, size)
	copy(nb, r.buf)
	r.buf = nb
}

// read returns a copy of up to limit bytes starting at cursor. from is the offset of the first
// returned byte: cursor itself, or start() when cursor points at bytes that were overwritten
// (dropped = from - cursor then), or produced when cursor is beyond the end.
func (r *ring) read(cursor int64, limit int) (data []byte, from int64, dropped int64) {
	from, dropped = r.clamp(cursor)
	n := min(r.produced-from, int64(limit))
	if n <= 0 {
		return nil, from, dropped
	}
	data = make([]byte, n)
	r.copyAt(data, from)
	return data, from, dropped
}

// readInto is read without the allocation: it fills dst (as far as there is data) and says how
// many bytes it copied. Attachments use it with one reused buffer each.
func (r *ring) readInto(dst []byte, cursor int64) (n int, from int64, dropped int64) {
	from, dropped = r.clamp(cursor)
	n = int(min(r.produced-from, int64(len(dst))))
	r.copyAt(dst[:n], from)
	return n, from, dropped
}

// clamp maps a client's cursor to the first offset that can actually be delivered.
func (r *ring) clamp(cursor int64) (from int64, dropped int64) {
	if cursor < 0 {
		cursor = 0
	}
	if cursor > r.produced {
		return r.produced, 0
	}
	if s := r.start(); cursor < s {
		return s, s - cursor
	}
	return cursor, 0
}

// copyAt fills dst with the bytes at offsets [from, from+len(dst)), which must be held.
func (r *ring) copyAt(dst []byte, from int64) {
	for len(dst) > 0 {
		i := int(from % int64(r.capacity))
		n := copy(dst, r.buf[i:])
		dst = dst[n:]
		from += int64(n)
	}
}
