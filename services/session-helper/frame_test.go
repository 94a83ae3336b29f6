package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	frames := []struct {
		typ     byte
		payload []byte
	}{
		{frameInput, []byte("ls -l\n")},
		{frameDetach, nil},
		{frameResize, resizePayload(132, 43)},
		{frameOutput, outputPayload(1<<40+7, []byte("out"))},
		{frameInput, make([]byte, maxFramePayload)}, // exactly the limit is allowed
	}
	for _, f := range frames {
		if err := writeFrame(&buf, f.typ, f.payload); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range frames {
		typ, payload, err := readFrame(&buf)
		if err != nil || typ != f.typ || !bytes.Equal(payload, f.payload) {
			t.Fatalf("frame %d: type %q len %d err %v", i, typ, len(payload), err)
		}
	}
	if _, _, err := readFrame(&buf); err != io.EOF {
		t.Fatalf("at a clean end: %v, want io.EOF", err)
	}
	cols, rows, err := parseResize(resizePayload(132, 43))
	if err != nil || cols != 132 || rows != 43 {
		t.Fatalf("resize: %d %d %v", cols, rows, err)
	}
	off, data, err := parseOutput(outputPayload(1<<40+7, []byte("out")))
	if err != nil || off != 1<<40+7 || string(data) != "out" {
		t.Fatalf("output: %d %q %v", off, data, err)
	}
}

func TestFrameTruncated(t *testing.T) {
	var full bytes.Buffer
	_ = writeFrame(&full, frameInput, []byte("abcdef"))
	b := full.Bytes()
	for cut := 1; cut < len(b); cut++ {
		_, _, err := readFrame(bytes.NewReader(b[:cut]))
		if err != io.ErrUnexpectedEOF {
			t.Fatalf("cut at %d of %d: %v, want io.ErrUnexpectedEOF", cut, len(b), err)
		}
	}
	if _, _, err := parseResize([]byte{0, 80, 0}); err == nil {
		t.Fatal("a 3-byte resize payload was accepted")
	}
	if _, _, err := parseOutput([]byte{1, 2, 3}); err == nil {
		t.Fatal("an output payload without its offset was accepted")
	}
}

func TestFrameOversized(t *testing.T) {
	hdr := []byte{frameInput, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(hdr[1:], maxFramePayload+1)
	// Only the header exists: rejecting must not try to read (or allocate) the payload.
	_, _, err := readFrame(bytes.NewReader(hdr))
	if !errors.Is(err, errFrameTooLarge) {
		t.Fatalf("got %v, want errFrameTooLarge", err)
	}
	binary.BigEndian.PutUint32(hdr[1:], 0xffffffff)
	if _, _, err := readFrameHeader(bytes.NewReader(hdr)); !errors.Is(err, errFrameTooLarge) {
		t.Fatalf("4 GiB length: %v", err)
	}
	if err := writeFrame(io.Discard, frameOutput, make([]byte, maxFramePayload+1)); !errors.Is(err, errFrameTooLarge) {
		t.Fatalf("writing an oversized frame: %v", err)
	}
}
