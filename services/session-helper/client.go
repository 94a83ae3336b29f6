package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// startTimeout: how long a client keeps trying to reach a daemon it had to start.
	startTimeout = 5 * time.Second
	// maxResponseLine: the daemon is trusted; this only stops a runaway.
	maxResponseLine = 64 << 20
	defaultDir      = "/.liteboxd/run"
)

func sessionDir() string {
	if d := os.Getenv("LBX_SESSION_DIR"); d != "" {
		return d
	}
	return defaultDir
}

// clientConn is a daemon connection after the response line; r holds whatever the daemon sent
// after it (the start of an attach stream).
type clientConn struct {
	*net.UnixConn
	r *bufio.Reader
}

// dialRequest connects (starting the daemon if nobody listens), sends req and reads the response
// line. A connection that closes before any answer means the daemon was just shutting down
// (its linger ran out as we connected): then it tries again until startTimeout.
func dialRequest(req request) (*clientConn, json.RawMessage, error) {
	dir := sessionDir()
	line, err := json.Marshal(req)
	if err != nil {
		return nil, nil, fail("%v", err)
	}
	line = append(line, '\n')
	deadline := time.Now().Add(startTimeout)
	for {
		c, err := connect(dir, deadline)
		if err != nil {
			return nil, nil, err
		}
		r := bufio.NewReaderSize(c, 64<<10)
		var resp []byte
		if _, err = c.Write(line); err == nil {
			resp, err = readLine(r, maxResponseLine)
		}
		if err == nil {
			result, err := parseResponse(resp)
			if err != nil {
				c.Close()
				return nil, nil, err
			}
			return &clientConn{c, r}, result, nil
		}
		c.Close()
		if time.Now().After(deadline) {
			return nil, nil, fail("daemon closed the connection without answering: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// parseResponse turns the daemon's response line into the result or a cliError.
func parseResponse(line []byte) (json.RawMessage, error) {
	var resp struct {
		Result   json.RawMessage `json:"result"`
		Error    string          `json:"error"`
		NotFound bool            `json:"notFound"`
	}
	if err := json.Unmarshal(line, &resp); err != nil {
		return nil, fail("bad response from daemon: %v", err)
	}
	if resp.Error != "" {
		code := 1
		if resp.NotFound {
			code = 2
		}
		return nil, &cliError{code: code, msg: resp.Error}
	}
	if len(resp.Result) == 0 {
		return nil, fail("empty response from daemon")
	}
	return resp.Result, nil
}

// connect dials the daemon socket, starting the daemon when nothing listens there.
func connect(dir string, deadline time.Time) (*net.UnixConn, error) {
	sock := socketPath(dir)
	c, err := dialUnix(sock)
	if err == nil {
		return c, nil
	}
	if !errors.Is(err, syscall.ENOENT) && !errors.Is(err, syscall.ECONNREFUSED) {
		return nil, fail("connect %s: %v", sock, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fail("%v", err)
	}
	notify, err := spawnDaemon()
	if err != nil {
		return nil, fail("start daemon: %v", err)
	}
	wait := 5 * time.Millisecond
	for {
		if c, err = dialUnix(sock); err == nil {
			return c, nil
		}
		if time.Now().After(deadline) {
			return nil, fail("daemon did not come up within %v: %v", startTimeout, err)
		}
		select {
		case msg, ok := <-notify:
			if !ok {
				notify = nil // reported already; keep polling
			} else if m, isErr := strings.CutPrefix(msg, "error: "); isErr {
				return nil, fail("daemon: %s", m)
			}
		case <-time.After(wait):
			wait = min(2*wait, 100*time.Millisecond)
		}
	}
}

func dialUnix(sock string) (*net.UnixConn, error) {
	return net.DialUnix("unix", nil, &net.UnixAddr{Name: sock, Net: "unix"})
}

// spawnDaemon starts `lbx-session daemon` detached from this exec: its own session (no signal
// from the exec's terminal or process group reaches it), stdio on /dev/null (so the pod exec
// ends when this client does instead of waiting for the daemon's stdout), cwd "/" (so it pins no
// directory). When the client exits the daemon is reparented and keeps running. The daemon
// reports "ok", "busy" (another daemon won the race) or "error: ..." on a pipe, so a daemon that
// cannot start fails the client at once with the reason.
func spawnDaemon() (<-chan string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "daemon", "--notify-fd", "3")
	cmd.Dir = "/"
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return nil, err
	}
	go func() { _ = cmd.Wait() }() // reaps a daemon that exits while this client still runs
	ch := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(r, 4<<10))
		r.Close()
		ch <- strings.TrimSpace(string(b))
		close(ch)
	}()
	return ch, nil
}

// cmdAttach bridges stdin/stdout to the session's frame stream. Frames from the daemon are
// passed through unchanged; stdin is forwarded raw (the daemon checks the frames). When stdin
// ends, the write side is shut: the daemon takes that as a detach.
func cmdAttach(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("attach")
	var cursor optionalInt64
	fs.Var(&cursor, "cursor", "")
	id, err := parseWithID(fs, args)
	if err != nil {
		return err
	}
	cc, _, err := dialRequest(request{Op: "attach", ID: id, Cursor: cursor.v})
	if err != nil {
		return err
	}
	defer cc.Close()
	go func() {
		_, _ = io.CopyBuffer(cc.UnixConn, readerOnly{stdin}, make([]byte, 32<<10))
		_ = cc.CloseWrite()
	}()
	out := bufio.NewWriterSize(stdout, 64<<10)
	for {
		typ, n, err := readFrameHeader(cc.r)
		if err == io.EOF {
			return nil // the daemon ended the attachment after a detach
		}
		if err != nil {
			return fail("attach: %v", err)
		}
		var hdr [frameHeaderLen]byte
		hdr[0] = typ
		hdr[1], hdr[2], hdr[3], hdr[4] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
		_, _ = out.Write(hdr[:])
		var payload []byte
		if typ == frameOutput {
			_, err = io.CopyN(out, cc.r, int64(n))
		} else { // small control frames: keep the payload to act on it
			payload = make([]byte, n)
			if _, err = io.ReadFull(cc.r, payload); err == nil {
				_, err = out.Write(payload)
			}
		}
		if err != nil {
			return fail("attach: %v", err)
		}
		if err := out.Flush(); err != nil {
			return fail("attach: stdout: %v", err)
		}
		switch typ {
		case frameExit, frameTakeover:
			return nil
		case frameError:
			var e struct{ Message string }
			_ = json.Unmarshal(payload, &e)
			return fail("attach: %s", e.Message)
		}
	}
}

// readerOnly hides WriterTo/ReaderFrom so copies go through the given buffer.
type readerOnly struct{ io.Reader }

// cmdWrite sends the CLI's stdin to the session's input.
func cmdWrite(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("write")
	eof := fs.Bool("eof", false, "")
	id, err := parseWithID(fs, args)
	if err != nil {
		return err
	}
	cc, _, err := dialRequest(request{Op: "write", ID: id, EOF: *eof})
	if err != nil {
		return err
	}
	defer cc.Close()
	go func() {
		_, _ = io.CopyBuffer(cc.UnixConn, readerOnly{stdin}, make([]byte, 32<<10))
		_ = cc.CloseWrite()
	}()
	line, err := readLine(cc.r, maxResponseLine)
	if err != nil {
		return fail("write: %v", err)
	}
	result, err := parseResponse(line)
	if err != nil {
		return err
	}
	_, err = stdout.Write(append(result, '\n'))
	return err
}

// cmdInstall is `lbx-session install DIR [FILE...]`: the sandbox launcher's init container runs it
// (the helper image has no shell). It copies this executable to DIR/lbx-session and each FILE
// (the image's /pause) to DIR/<its name>, each mode 0755 and atomically renamed into place.
func cmdInstall(args []string, stdout io.Writer) error {
	if len(args) < 1 || strings.HasPrefix(args[0], "-") {
		return fail("usage: lbx-session install DIR [FILE...]")
	}
	dir := args[0]
	exe, err := os.Executable()
	if err != nil {
		return fail("install: %v", err)
	}
	installed := []string{}
	for _, src := range append([]string{exe}, args[1:]...) {
		name := filepath.Base(src)
		if src == exe {
			name = "lbx-session"
		}
		dest := filepath.Join(dir, name)
		if err := install(src, dest); err != nil {
			return fail("install %s: %v", src, err)
		}
		installed = append(installed, dest)
	}
	b, _ := json.Marshal(map[string][]string{"installed": installed})
	_, err = stdout.Write(append(b, '\n'))
	return err
}

// runDaemon is `lbx-session daemon`: serve the socket until there have been no sessions for
// --linger-empty seconds.
func runDaemon(args []string) int {
	fs := newFlags("daemon")
	linger := fs.Int64("linger-empty", envInt("LBX_SESSION_LINGER_EMPTY", defaultLingerSec), "")
	exited := fs.Int64("exited-linger", envInt("LBX_SESSION_EXITED_LINGER", defaultExitedSec), "")
	notifyFD := fs.Int("notify-fd", -1, "")
	var notify *os.File
	say := func(msg string) {
		if notify != nil {
			_, _ = notify.WriteString(msg + "\n")
			notify.Close()
			notify = nil
		}
	}
	err := fs.Parse(args)
	if *notifyFD >= 0 {
		// Close-on-exec before any session is started, so no process inherits the pipe.
		syscall.CloseOnExec(*notifyFD)
		notify = os.NewFile(uintptr(*notifyFD), "notify")
	}
	if err == nil && (fs.NArg() > 0 || *linger < 0 || *exited < 0) {
		err = errors.New("usage: lbx-session daemon [--linger-empty SECONDS] [--exited-linger SECONDS]")
	}
	if err != nil {
		say("error: " + err.Error())
		return report(os.Stderr, fail("daemon: %v", err))
	}
	d, err := listenDaemon(daemonConfig{
		dir:          sessionDir(),
		lingerEmpty:  time.Duration(*linger) * time.Second,
		exitedLinger: time.Duration(*exited) * time.Second,
	})
	if errors.Is(err, errAlreadyRunning) {
		say("busy")
		return 0
	}
	if err != nil {
		say("error: " + err.Error())
		return report(os.Stderr, fail("daemon: %v", err))
	}
	say("ok")
	d.serve()
	return 0
}

// envInt reads an integer default from the environment (tests set the daemon's lingers so).
func envInt(key string, def int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(key), 10, 64); err == nil {
		return v
	}
	return def
}

var _ flag.Value = (*optionalInt64)(nil)
