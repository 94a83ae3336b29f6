package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

const threeLines = "for i in 1 2 3; do echo line$i; sleep 0.2; done"

func TestAttachDetachReattach(t *testing.T) {
	startTestDaemon(t)
	id := mustStart(t, request{Command: []string{"sh", "-c", threeLines}})

	a := attach(t, id, nil)
	if a.hello.ID != id || a.hello.Cursor != 0 || a.hello.Dropped != 0 || !a.hello.Running || a.hello.TTY {
		t.Fatalf("hello %+v", a.hello)
	}
	a.waitOutput("line1\n")
	if a.first != 0 {
		t.Fatalf("the replay started at %d, want 0", a.first)
	}
	a.send(frameDetach, nil)
	a.expectEnd()
	if a.exit != nil {
		t.Fatal("the detached attachment got an exit frame")
	}
	eventually(t, 5*time.Second, "the session to show as detached", func() bool {
		s := findSession(t, id)
		return s != nil && !s.Attached
	})

	// Reattach from just after line1: line1 is not replayed, line2 and line3 are (replay or
	// live, depending on timing), then the exit code.
	cursor := int64(len("line1\n"))
	b := attach(t, id, &cursor)
	if b.hello.Cursor != cursor || b.hello.Dropped != 0 {
		t.Fatalf("hello %+v", b.hello)
	}
	if code := b.waitExit(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if got := b.out.String(); got != "line2\nline3\n" {
		t.Fatalf("reattached output %q", got)
	}

	// The whole output is still buffered, and the exit code stays readable.
	r := mustRead(t, id, ptr(int64(0)))
	if string(r.Data) != "line1\nline2\nline3\n" || r.Next != 18 || r.Running || r.ExitCode == nil || *r.ExitCode != 0 {
		t.Fatalf("read: %s", describe(r))
	}
	s := findSession(t, id)
	if s == nil || s.Running || s.ExitCode == nil || *s.ExitCode != 0 || s.Produced != 18 || s.Attached {
		t.Fatalf("list entry %+v", s)
	}
}

func TestExitCodes(t *testing.T) {
	startTestDaemon(t)
	for cmd, want := range map[string]int{
		"exit 3":                         3,
		"kill -TERM $$":                  143, // 128 + SIGTERM
		"echo out; echo err >&2; exit 0": 0,
	} {
		id := mustStart(t, request{Command: []string{"sh", "-c", cmd}})
		r := waitExit(t, id)
		if r.ExitCode == nil || *r.ExitCode != want {
			t.Errorf("%q: %s, want exit %d", cmd, describe(r), want)
		}
		if cmd == "echo out; echo err >&2; exit 0" && string(r.Data) != "out\nerr\n" {
			t.Errorf("stdout and stderr are not merged: %q", r.Data)
		}
	}
	err := call(t, request{Op: "start", Command: []string{"no-such-command-lbx"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("starting a missing command: %v", err)
	}
}

func TestPTY(t *testing.T) {
	startTestDaemon(t)
	t.Setenv("TERM", "restored-after-the-test")
	os.Unsetenv("TERM") // the daemon's environment has no TERM: the session gets xterm-256color
	id := mustStart(t, request{TTY: true, Rows: 24, Cols: 80,
		Env: []string{"PS1=$ ", "ENV="}, Command: []string{"sh"}})
	a := attach(t, id, nil)
	if !a.hello.TTY {
		t.Fatalf("hello %+v", a.hello)
	}
	// The terminal echoes the input; only the shell computes 42, so "hi42" proves it ran.
	a.send(frameInput, []byte("echo hi$((40+2)); [ -t 0 ] && echo tty-$TERM\n"))
	a.waitOutput("hi42")
	a.waitOutput("tty-xterm-256color")
	a.send(frameResize, resizePayload(100, 30))
	a.send(frameInput, []byte("stty size\n"))
	a.waitOutput("30 100")
	a.send(frameInput, []byte("exit 7\n"))
	if code := a.waitExit(); code != 7 {
		t.Fatalf("exit code %d", code)
	}
}

func TestTakeover(t *testing.T) {
	startTestDaemon(t)
	id := mustStart(t, request{Command: []string{"cat"}})
	a := attach(t, id, nil)
	a.send(frameInput, []byte("fromA\n"))
	a.waitOutput("fromA\n")

	b := attach(t, id, nil)
	// The old attachment gets 't' (perhaps after output still in flight) and ends at once.
	for {
		typ, payload := a.frame()
		if typ == frameTakeover {
			break
		}
		if typ != frameOutput || !a.absorb(typ, payload) {
			t.Fatalf("old attachment got %q %s, want 't'", typ, payload)
		}
	}
	a.expectEnd()
	// The new one replays everything and owns the input.
	b.waitOutput("fromA\n")
	b.send(frameInput, []byte("fromB\n"))
	b.waitOutput("fromB\n")

	var closed map[string]bool
	if err := call(t, request{Op: "close", ID: id}, &closed); err != nil || !closed["closed"] {
		t.Fatalf("close: %v %v", closed, err)
	}
	if code := b.waitExit(); code != 143 {
		t.Fatalf("closed cat exited %d, want 143 (SIGTERM)", code)
	}
	eventually(t, 5*time.Second, "the closed session to be dropped", func() bool { return findSession(t, id) == nil })
	if err := call(t, request{Op: "read", ID: id}, nil); err == nil || err.(*cliError).code != 2 {
		t.Fatalf("read after close: %v, want exit code 2", err)
	}
}

func TestDroppedIsReported(t *testing.T) {
	startTestDaemon(t)
	const script = `i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done`
	id := mustStart(t, request{Buffer: 4096, Command: []string{"sh", "-c", script}})
	r := waitExit(t, id)
	const produced = 2000 * 11
	if r.Dropped != 0 || r.Cursor != produced-4096 || r.Next != produced || len(r.Data) != 4096 {
		t.Fatalf("read without cursor: %s", describe(r))
	}
	r = mustRead(t, id, ptr(int64(0)))
	if r.Dropped != produced-4096 || r.Cursor != produced-4096 {
		t.Fatalf("read from 0: %s", describe(r))
	}
	a := attach(t, id, ptr(int64(100)))
	if a.hello.Dropped != produced-4096-100 || a.hello.Cursor != produced-4096 || a.hello.Running {
		t.Fatalf("hello %+v", a.hello)
	}
	if code := a.waitExit(); code != 0 || a.out.Len() != 4096 {
		t.Fatalf("exit %d after %d bytes", code, a.out.Len())
	}
	// A cursor past the end is the end: nothing replayed, nothing dropped.
	c := attach(t, id, ptr(int64(1<<40)))
	if c.hello.Cursor != produced || c.hello.Dropped != 0 {
		t.Fatalf("hello %+v", c.hello)
	}
	if c.waitExit(); c.out.Len() != 0 {
		t.Fatalf("got %d bytes", c.out.Len())
	}
}

func TestWriteAndEOF(t *testing.T) {
	startTestDaemon(t)
	id := mustStart(t, request{Command: []string{"cat"}})
	var out strings.Builder
	if err := cmdWrite([]string{id, "--eof"}, strings.NewReader("hello\n"), &out); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out.String()) != `{"written":6}` {
		t.Fatalf("write answered %q", out.String())
	}
	r := waitExit(t, id)
	if string(r.Data) != "hello\n" || *r.ExitCode != 0 {
		t.Fatalf("%s", describe(r))
	}
}

func TestProtocolErrorsEndOnlyTheAttachment(t *testing.T) {
	startTestDaemon(t)
	id := mustStart(t, request{Command: []string{"cat"}})

	a := attach(t, id, nil)
	a.send('z', nil)
	if typ, payload := a.frame(); typ != frameError || !strings.Contains(string(payload), "unknown frame type") {
		t.Fatalf("got %q %s, want an 'e' frame", typ, payload)
	}
	a.expectEnd()

	b := attach(t, id, nil)
	hdr := []byte{frameInput, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(hdr[1:], maxFramePayload+1)
	if _, err := b.cc.Write(hdr); err != nil {
		t.Fatal(err)
	}
	if typ, payload := b.frame(); typ != frameError || !strings.Contains(string(payload), "exceeds") {
		t.Fatalf("got %q %s, want an 'e' frame", typ, payload)
	}
	b.expectEnd()

	c := attach(t, id, nil)
	c.send(frameResize, []byte{1, 2, 3})
	if typ, _ := c.frame(); typ != frameError {
		t.Fatalf("a short resize frame got %q", typ)
	}

	if s := findSession(t, id); s == nil || !s.Running {
		t.Fatalf("the session did not survive its attachments' errors: %+v", s)
	}
	// Stdin EOF (the write side shut without a 'd' frame) is a detach.
	d := attach(t, id, nil)
	_ = d.cc.CloseWrite()
	d.expectEnd()
	if s := findSession(t, id); s == nil || !s.Running {
		t.Fatalf("the session ended with its attachment: %+v", s)
	}
}

func TestRequestValidation(t *testing.T) {
	d := startTestDaemon(t)
	for _, req := range []request{
		{Op: "start", ID: "bad id!", Command: []string{"true"}},
		{Op: "start", ID: strings.Repeat("a", 65), Command: []string{"true"}},
		{Op: "start", Command: nil},
		{Op: "start", Buffer: 100, Command: []string{"true"}},
		{Op: "start", Buffer: 17 << 20, Command: []string{"true"}},
		{Op: "start", Env: []string{"NOEQUALS"}, Command: []string{"true"}},
		{Op: "start", IdleTimeout: ptr(int64(-1)), Command: []string{"true"}},
		{Op: "close", ID: "x", Signal: "USR1"},
		{Op: "bogus"},
	} {
		if err := call(t, req, nil); err == nil {
			t.Errorf("%+v was accepted", req)
		}
	}
	mustStart(t, request{ID: "dup", Command: []string{"cat"}})
	if err := call(t, request{Op: "start", ID: "dup", Command: []string{"cat"}}, nil); err == nil ||
		!strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate id: %v", err)
	}
	for _, op := range []string{"read", "close", "attach", "write"} {
		err := call(t, request{Op: op, ID: "nope"}, nil)
		var ce *cliError
		if !errors.As(err, &ce) || ce.code != 2 {
			t.Errorf("%s of a missing session: %v, want exit code 2", op, err)
		}
	}

	// A request line beyond the limit is refused without reading it all into memory.
	conn, err := net.Dial("unix", socketPath(d.cfg.dir))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() { _, _ = conn.Write([]byte(strings.Repeat("x", 2*maxRequestLine))) }()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(conn).ReadBytes('\n')
	var resp response
	if err != nil || json.Unmarshal(line, &resp) != nil || !strings.Contains(resp.Error, "longer than") {
		t.Fatalf("oversized request: %q %v", line, err)
	}
}

func TestIdleTimeoutClosesUnattachedSessions(t *testing.T) {
	startTestDaemon(t)
	idle := mustStart(t, request{IdleTimeout: ptr(int64(1)), Command: []string{"sleep", "60"}})
	kept := mustStart(t, request{IdleTimeout: ptr(int64(1)), Command: []string{"sleep", "60"}})
	a := attach(t, kept, nil) // attached: not idle
	eventually(t, 8*time.Second, "the idle session to be closed", func() bool { return findSession(t, idle) == nil })
	if s := findSession(t, kept); s == nil || !s.Running || !s.Attached || s.IdleSeconds != 0 {
		t.Fatalf("the attached session: %+v", s)
	}
	a.send(frameDetach, nil)
	a.expectEnd()
	eventually(t, 8*time.Second, "the detached session to time out", func() bool { return findSession(t, kept) == nil })
}

func TestListOrderAndFields(t *testing.T) {
	startTestDaemon(t)
	first := mustStart(t, request{ID: "first", Command: []string{"cat"}})
	time.Sleep(5 * time.Millisecond) // distinct start times
	second := mustStart(t, request{ID: "second", TTY: true, Command: []string{"cat"}})
	list := listSessions(t)
	if len(list) != 2 || list[0].ID != first || list[1].ID != second {
		t.Fatalf("list %+v", list)
	}
	if !list[1].TTY || list[0].TTY || !list[0].Running || list[0].ExitCode != nil ||
		list[0].Command[0] != "cat" || list[0].PID <= 0 {
		t.Fatalf("list %+v", list)
	}
	if _, err := time.Parse(time.RFC3339, list[0].StartedAt); err != nil {
		t.Fatal(err)
	}
	// The raw JSON has exitCode null, not a missing field.
	c, result, err := dialRequest(request{Op: "list"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if !strings.Contains(string(result), `"exitCode":null`) {
		t.Fatalf("list JSON %s", result)
	}
}

func TestSecondDaemonLosesTheLock(t *testing.T) {
	d := startTestDaemon(t)
	if _, err := listenDaemon(d.cfg); !errors.Is(err, errAlreadyRunning) {
		t.Fatalf("second daemon in the same dir: %v", err)
	}
	// The first one still serves.
	listSessions(t)
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"a": true, "Az09_-": true, strings.Repeat("x", 64): true,
		"": false, strings.Repeat("x", 65): false, "a b": false, "a/b": false, "é": false, "a.b": false,
	} {
		if validID(id) != want {
			t.Errorf("validID(%q) = %v", id, !want)
		}
	}
}

func TestCloseHangsUpATerminal(t *testing.T) {
	startTestDaemon(t)
	id := mustStart(t, request{TTY: true, Env: []string{"PS1=$ "}, Command: []string{"sh"}})
	a := attach(t, id, nil)
	a.waitOutput("$ ")
	start := time.Now()
	if err := call(t, request{Op: "close", ID: id}, nil); err != nil {
		t.Fatal(err)
	}
	// SIGHUP (the default for a terminal) ends the shell; no SIGKILL escalation was needed.
	if code := a.waitExit(); code != 129 || time.Since(start) > closeGrace {
		t.Fatalf("exit %d after %v, want 129 (SIGHUP) before the SIGKILL grace", code, time.Since(start))
	}
}
