package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for lbx-session: the CLI tests run it with
// LBX_SESSION_TEST_AS_CLI=1, and a daemon it starts (os.Executable) is this binary again.
func TestMain(m *testing.M) {
	if os.Getenv("LBX_SESSION_TEST_AS_CLI") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Setenv("LBX_SESSION_TEST_AS_CLI", "1")
	os.Exit(m.Run())
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startTestDaemon runs a daemon in this process, on a fresh directory that LBX_SESSION_DIR
// points the client code at. Its sessions are killed when the test ends.
func startTestDaemon(t *testing.T) *daemon {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("LBX_SESSION_DIR", dir)
	d, err := listenDaemon(daemonConfig{dir: dir, exitedLinger: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	go d.serve()
	t.Cleanup(func() {
		d.shutdown()
		d.mu.Lock()
		defer d.mu.Unlock()
		for _, s := range d.sessions {
			if s.signalGroup(syscall.SIGKILL) {
				<-s.exited
			}
		}
	})
	return d
}

// call sends one request through the client code and decodes the result into out.
func call(t *testing.T, req request, out any) error {
	t.Helper()
	c, result, err := dialRequest(req)
	if err != nil {
		return err
	}
	c.Close()
	if out != nil {
		if err := json.Unmarshal(result, out); err != nil {
			t.Fatalf("%s result %s: %v", req.Op, result, err)
		}
	}
	return nil
}

func mustStart(t *testing.T, req request) string {
	t.Helper()
	req.Op = "start"
	var res struct {
		ID  string `json:"id"`
		PID int    `json:"pid"`
	}
	if err := call(t, req, &res); err != nil {
		t.Fatalf("start %v: %v", req.Command, err)
	}
	if res.ID == "" || res.PID <= 0 {
		t.Fatalf("start answered %+v", res)
	}
	return res.ID
}

type readRes struct {
	Data     []byte `json:"data"`
	Cursor   int64  `json:"cursor"`
	Next     int64  `json:"next"`
	Dropped  int64  `json:"dropped"`
	Running  bool   `json:"running"`
	ExitCode *int   `json:"exitCode"`
}

func mustRead(t *testing.T, id string, cursor *int64) readRes {
	t.Helper()
	var r readRes
	if err := call(t, request{Op: "read", ID: id, Cursor: cursor}, &r); err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	return r
}

// waitExit polls read until the session is finished and returns the final answer.
func waitExit(t *testing.T, id string) readRes {
	t.Helper()
	var r readRes
	eventually(t, 10*time.Second, "session "+id+" to finish", func() bool {
		r = mustRead(t, id, nil)
		return !r.Running
	})
	return r
}

func listSessions(t *testing.T) []sessionInfo {
	t.Helper()
	var res struct{ Sessions []sessionInfo }
	if err := call(t, request{Op: "list"}, &res); err != nil {
		t.Fatal(err)
	}
	return res.Sessions
}

func findSession(t *testing.T, id string) *sessionInfo {
	for _, s := range listSessions(t) {
		if s.ID == id {
			return &s
		}
	}
	return nil
}

// testAttach is a client end of an attachment.
type testAttach struct {
	t     *testing.T
	cc    *clientConn
	hello helloMsg
	out   strings.Builder // all output received, in order
	first int64           // offset of the first output byte received (-1: none yet)
	next  int64           // offset after the last output byte received
	exit  *int            // from the 'x' frame
}

func attach(t *testing.T, id string, cursor *int64) *testAttach {
	t.Helper()
	cc, _, err := dialRequest(request{Op: "attach", ID: id, Cursor: cursor})
	if err != nil {
		t.Fatalf("attach %s: %v", id, err)
	}
	t.Cleanup(func() { cc.Close() })
	a := &testAttach{t: t, cc: cc, first: -1}
	typ, payload := a.frame()
	if typ != frameHello {
		t.Fatalf("first frame is %q, want hello", typ)
	}
	if err := json.Unmarshal(payload, &a.hello); err != nil {
		t.Fatal(err)
	}
	a.next = a.hello.Cursor
	return a
}

// frame reads the next frame (with a deadline, so a hang fails the test instead of timing out).
func (a *testAttach) frame() (byte, []byte) {
	a.t.Helper()
	_ = a.cc.SetReadDeadline(time.Now().Add(10 * time.Second))
	typ, payload, err := readFrame(a.cc.r)
	if err != nil {
		a.t.Fatalf("reading a frame: %v (output so far %q)", err, a.out.String())
	}
	return typ, payload
}

// absorb records an output or exit frame; it returns false for any other type.
func (a *testAttach) absorb(typ byte, payload []byte) bool {
	a.t.Helper()
	switch typ {
	case frameOutput:
		off, data, err := parseOutput(payload)
		if err != nil {
			a.t.Fatal(err)
		}
		if off != a.next {
			a.t.Fatalf("output at offset %d, expected %d", off, a.next)
		}
		if a.first < 0 {
			a.first = off
		}
		a.out.Write(data)
		a.next = off + int64(len(data))
		return true
	case frameExit:
		var x struct{ ExitCode *int }
		if err := json.Unmarshal(payload, &x); err != nil || x.ExitCode == nil {
			a.t.Fatalf("exit frame %s: %v", payload, err)
		}
		a.exit = x.ExitCode
		return true
	}
	return false
}

// waitOutput reads output until it contains want.
func (a *testAttach) waitOutput(want string) {
	a.t.Helper()
	for !strings.Contains(a.out.String(), want) {
		typ, payload := a.frame()
		if !a.absorb(typ, payload) {
			a.t.Fatalf("waiting for %q: got a %q frame %s (output so far %q)", want, typ, payload, a.out.String())
		}
		if a.exit != nil && !strings.Contains(a.out.String(), want) {
			a.t.Fatalf("session exited (%d) before printing %q; output %q", *a.exit, want, a.out.String())
		}
	}
}

// waitExit reads output until the 'x' frame, then expects the connection to end.
func (a *testAttach) waitExit() int {
	a.t.Helper()
	for a.exit == nil {
		typ, payload := a.frame()
		if !a.absorb(typ, payload) {
			a.t.Fatalf("waiting for exit: got a %q frame %s", typ, payload)
		}
	}
	a.expectEnd()
	return *a.exit
}

// expectEnd reads until the helper closes the connection; only output frames may come first.
func (a *testAttach) expectEnd() {
	a.t.Helper()
	for {
		_ = a.cc.SetReadDeadline(time.Now().Add(10 * time.Second))
		typ, payload, err := readFrame(a.cc.r)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			a.t.Fatalf("waiting for the end of the attachment: %v", err)
		}
		if typ != frameOutput || !a.absorb(typ, payload) {
			a.t.Fatalf("waiting for the end of the attachment: got a %q frame %s", typ, payload)
		}
	}
}

func (a *testAttach) send(typ byte, payload []byte) {
	a.t.Helper()
	if err := writeFrame(a.cc, typ, payload); err != nil {
		a.t.Fatalf("send %q: %v", typ, err)
	}
}

func ptr[T any](v T) *T { return &v }

func describe(r readRes) string {
	code := "null"
	if r.ExitCode != nil {
		code = fmt.Sprint(*r.ExitCode)
	}
	return fmt.Sprintf("data %q cursor %d next %d dropped %d running %v exit %s", r.Data, r.Cursor, r.Next, r.Dropped, r.Running, code)
}
