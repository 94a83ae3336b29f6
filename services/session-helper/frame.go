package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The attach stream, both directions: 1 byte type, 4 bytes big-endian payload length, payload.
// A length prefix (rather than escaping) lets the API relay frames without parsing them, and the
// limit lets either side reject a frame before allocating anything for it.
const (
	frameHeaderLen  = 5
	maxFramePayload = 1 << 20
	// maxOutputChunk bounds one 'o' frame's data, so one busy session can't hog a slow link
	// with megabyte frames and a client's read buffer stays small.
	maxOutputChunk = 32 << 10
)

// Client -> helper.
const (
	frameInput  = 'i' // bytes for the process's stdin (or the PTY)
	frameResize = 'r' // cols u16 BE, rows u16 BE
	frameDetach = 'd' // end this attachment; the session keeps running
)

// Helper -> client.
const (
	frameHello    = 'h' // JSON, always first
	frameOutput   = 'o' // u64 BE absolute offset of the first byte, then the bytes
	frameExit     = 'x' // JSON {"exitCode":N}, after all output; the attachment ends
	frameTakeover = 't' // a newer attachment took over; this one ends
	frameError    = 'e' // JSON {"message":"..."}; the attachment ends
)

var errFrameTooLarge = errors.New("frame payload exceeds 1 MiB")

// appendFrame encodes one frame onto dst.
func appendFrame(dst []byte, typ byte, payload []byte) []byte {
	dst = append(dst, typ, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(dst[len(dst)-4:], uint32(len(payload)))
	return append(dst, payload...)
}

// writeFrame writes one frame with a single Write call, so frames from one writer never
// interleave on the wire.
func writeFrame(w io.Writer, typ byte, payload []byte) error {
	if len(payload) > maxFramePayload {
		return errFrameTooLarge
	}
	_, err := w.Write(appendFrame(make([]byte, 0, frameHeaderLen+len(payload)), typ, payload))
	return err
}

// readFrameHeader reads a frame header. It returns io.EOF only at a clean frame boundary (the
// peer closed between frames) and io.ErrUnexpectedEOF for a truncated header. A length above
// maxFramePayload is an error before anything is allocated.
func readFrameHeader(r io.Reader) (typ byte, n int, err error) {
	var h [frameHeaderLen]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, 0, err
	}
	size := binary.BigEndian.Uint32(h[1:])
	if size > maxFramePayload {
		return h[0], 0, fmt.Errorf("%w (%d bytes, type %q)", errFrameTooLarge, size, h[0])
	}
	return h[0], int(size), nil
}

// readFrame reads a whole frame. A payload cut short is io.ErrUnexpectedEOF.
func readFrame(r io.Reader) (typ byte, payload []byte, err error) {
	typ, n, err := readFrameHeader(r)
	if err != nil {
		return typ, nil, err
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return typ, nil, err
	}
	return typ, payload, nil
}

// outputPayload builds an 'o' payload: the absolute offset of data[0], then data.
func outputPayload(offset int64, data []byte) []byte {
	p := make([]byte, 8, 8+len(data))
	binary.BigEndian.PutUint64(p, uint64(offset))
	return append(p, data...)
}

// parseOutput splits an 'o' payload.
func parseOutput(p []byte) (offset int64, data []byte, err error) {
	if len(p) < 8 {
		return 0, nil, errors.New("output frame shorter than its 8-byte offset")
	}
	return int64(binary.BigEndian.Uint64(p)), p[8:], nil
}

// resizePayload builds an 'r' payload.
func resizePayload(cols, rows uint16) []byte {
	p := make([]byte, 4)
	binary.BigEndian.PutUint16(p, cols)
	binary.BigEndian.PutUint16(p[2:], rows)
	return p
}

// parseResize reads an 'r' payload: exactly 4 bytes, cols then rows.
func parseResize(p []byte) (cols, rows uint16, err error) {
	if len(p) != 4 {
		return 0, 0, fmt.Errorf("resize frame must carry 4 bytes, got %d", len(p))
	}
	return binary.BigEndian.Uint16(p), binary.BigEndian.Uint16(p[2:]), nil
}
