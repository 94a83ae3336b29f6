package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// stopWriteGrace bounds the final frame ('t', 'e') of an ending attachment and any write it is
// blocked in: a client that stopped reading must not keep a taken-over attachment alive.
const stopWriteGrace = time.Second

// attachment is one client bridged to a session. Two goroutines serve it: writeLoop (the only
// writer on the connection: hello, output, the final frame) and readLoop (the client's frames).
// Output is never pushed into the attachment: the writer pulls it from the ring at its own
// cursor, so a slow client costs no memory and never slows the process down. If the client falls
// so far behind that its bytes are overwritten, the next 'o' frame's offset jumps ahead; the gap
// is visible to the client, not silently lost.
type attachment struct {
	s      *session
	conn   net.Conn
	in     *bufio.Reader // the connection's read side (may hold bytes read with the request)
	cursor int64         // next offset to send; writeLoop only
	hello  helloMsg

	kickc    chan struct{} // new output or the session finished; capacity 1
	stopc    chan struct{} // closed by stop
	stopOnce sync.Once
	reason   byte   // 0 = detach (no final frame), frameTakeover or frameError; set before stopc closes
	message  string // for frameError
}

type helloMsg struct {
	ID      string `json:"id"`
	PID     int    `json:"pid"`
	TTY     bool   `json:"tty"`
	Cursor  int64  `json:"cursor"`
	Dropped int64  `json:"dropped"`
	Running bool   `json:"running"`
}

// attach makes a the session's attachment, replaying from cursor (nil: everything still
// buffered). An older attachment is taken over: it gets a 't' frame and ends.
func (s *session) attach(conn net.Conn, in *bufio.Reader, cursor *int64) *attachment {
	a := &attachment{s: s, conn: conn, in: in, kickc: make(chan struct{}, 1), stopc: make(chan struct{})}
	s.mu.Lock()
	old := s.att
	s.att = a
	c := s.ring.start()
	if cursor != nil {
		c = *cursor
	}
	from, dropped := s.ring.clamp(c)
	a.cursor = from
	a.hello = helloMsg{ID: s.id, PID: s.pid, TTY: s.tty, Cursor: from, Dropped: dropped, Running: !s.finished}
	s.lastActive = time.Now()
	s.mu.Unlock()
	if old != nil {
		old.stop(frameTakeover, "")
	}
	return a
}

// serve runs the attachment until it ends; it closes the connection.
func (a *attachment) serve() {
	go a.readLoop()
	a.writeLoop()
	a.s.mu.Lock()
	if a.s.att == a {
		a.s.att = nil
		a.s.lastActive = time.Now()
	}
	a.s.mu.Unlock()
}

func (a *attachment) kick() {
	select {
	case a.kickc <- struct{}{}:
	default:
	}
}

// stop ends the attachment; the first reason wins. It may be called from any goroutine.
func (a *attachment) stop(reason byte, message string) {
	a.stopOnce.Do(func() {
		a.reason, a.message = reason, message
		close(a.stopc)
		// Interrupt a write the client is not reading, but leave time for the final frame.
		_ = a.conn.SetWriteDeadline(time.Now().Add(stopWriteGrace))
	})
}

func (a *attachment) stopped() bool {
	select {
	case <-a.stopc:
		return true
	default:
		return false
	}
}

func (a *attachment) writeLoop() {
	defer a.conn.Close()
	hello, _ := json.Marshal(a.hello)
	if writeFrame(a.conn, frameHello, hello) != nil {
		a.stop(0, "")
		return
	}
	// One reused 'o' frame: type, length, offset, then the data copied straight from the ring.
	const dataAt = frameHeaderLen + 8
	frame := make([]byte, dataAt+maxOutputChunk)
	frame[0] = frameOutput
	for {
		// Send everything that is buffered, a chunk at a time, checking for stop in between.
		for !a.stopped() {
			a.s.mu.Lock()
			n, from, _ := a.s.ring.readInto(frame[dataAt:], a.cursor)
			finished, code := a.s.finished, a.s.exitCode
			a.s.mu.Unlock()
			if n == 0 {
				if finished {
					a.sendExit(code)
					return
				}
				break
			}
			binary.BigEndian.PutUint32(frame[1:frameHeaderLen], uint32(8+n))
			binary.BigEndian.PutUint64(frame[frameHeaderLen:dataAt], uint64(from))
			if _, err := a.conn.Write(frame[:dataAt+n]); err != nil {
				a.stop(0, "")
				break
			}
			a.cursor = from + int64(n)
		}
		if a.stopped() {
			a.sendFinal()
			return
		}
		select {
		case <-a.kickc:
		case <-a.stopc:
		}
	}
}

func (a *attachment) sendExit(code int) {
	p, _ := json.Marshal(map[string]int{"exitCode": code})
	if writeFrame(a.conn, frameExit, p) == nil {
		a.s.mu.Lock()
		a.s.delivered = true
		a.s.mu.Unlock()
	}
	a.stop(0, "")
}

func (a *attachment) sendFinal() {
	switch a.reason {
	case frameTakeover:
		_ = writeFrame(a.conn, frameTakeover, nil)
	case frameError:
		p, _ := json.Marshal(map[string]string{"message": a.message})
		_ = writeFrame(a.conn, frameError, p)
	}
}

// readLoop handles the client's frames. Input is streamed to the process in bounded chunks,
// never buffered whole; anything malformed ends the attachment with an 'e' frame.
func (a *attachment) readLoop() {
	buf := make([]byte, 4<<10)
	for {
		typ, n, err := readFrameHeader(a.in)
		switch {
		case errors.Is(err, errFrameTooLarge):
			a.stop(frameError, err.Error())
			return
		case err != nil:
			// EOF, cut short or the connection closed: the client went away (for the CLI: its
			// stdin ended). That is a detach; the session keeps running.
			a.stop(0, "")
			return
		}
		body := io.LimitReader(a.in, int64(n))
		switch typ {
		case frameInput:
			if a.current() {
				_, _ = a.s.writeInput(body, buf)
				// A process that no longer reads its input is no reason to end the attachment:
				// its exit is reported when it comes. The rest of the frame is discarded below.
			}
		case frameResize:
			if n != 4 {
				a.stop(frameError, fmt.Sprintf("resize frame must carry 4 bytes, got %d", n))
				return
			}
			if _, err := io.ReadFull(body, buf[:4]); err == nil && a.current() {
				cols, rows, _ := parseResize(buf[:4])
				_ = a.s.resize(cols, rows)
			}
		case frameDetach:
			a.stop(0, "")
			return
		default:
			a.stop(frameError, fmt.Sprintf("unknown frame type %q", typ))
			return
		}
		// Consume whatever the handler left of the payload, so the next header is read in sync.
		if _, err := io.CopyBuffer(io.Discard, body, buf); err != nil {
			a.stop(0, "")
			return
		}
		if a.stopped() {
			return
		}
	}
}

// current reports whether a still owns input and resize (it has not been taken over).
func (a *attachment) current() bool {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	return a.s.att == a
}
