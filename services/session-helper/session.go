package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	// drainGrace: after the process exits, how long its output may still arrive. Output written
	// before the exit is already in the pipe/PTY and is read at once; only a background child
	// that inherited the output (`cmd &`) keeps it open, and such a child must not hold the
	// exit report back for long.
	drainGrace = time.Second
	// closeGrace: how long `close` waits after the polite signal before SIGKILL.
	closeGrace = 3 * time.Second
	// killWait: how long `close` then waits for the SIGKILLed process to be reaped.
	killWait = 2 * time.Second
	// pumpChunk: one read from the process's output.
	pumpChunk = 32 << 10
)

var errInputClosed = errors.New("session input is closed")

// sessionSpec is a validated start request.
type sessionSpec struct {
	ID          string
	Command     []string
	TTY         bool
	Cols, Rows  uint16
	Buffer      int
	IdleTimeout time.Duration // 0 = never
	Cwd         string
	Env         []string // the complete environment of the process
}

// session is one process with its output buffer and at most one attachment.
type session struct {
	id          string
	command     []string
	tty         bool
	started     time.Time
	idleTimeout time.Duration
	bufferCap   int
	pid         int
	cmd         *exec.Cmd

	// output is the PTY master or the read end of the process's stdout+stderr pipe; input is the
	// same PTY master or the write end of its stdin pipe.
	output, input *os.File
	closeIOOnce   sync.Once

	// inputMu keeps the chunks of two writers (an attachment and a `write`) from interleaving.
	// It may be held while a write blocks on a full pipe: that is the process not reading.
	inputMu     sync.Mutex
	inputClosed bool // guarded by inputMu

	exited     chan struct{} // closed once the process has been reaped
	outputDone chan struct{} // closed when the output pump has stopped
	finishedc  chan struct{} // closed when finished is set

	mu         sync.Mutex // guards everything below
	ring       *ring
	exitCode   int
	exitedAt   time.Time
	finished   bool // exited and all output collected: the exit can be reported
	att        *attachment
	lastActive time.Time // last attach/detach/read/write: the idle timeout counts from here
	delivered  bool      // the exit code and the whole tail reached a client
	closing    bool      // closed or timed out: drop from the registry once finished
}

// startSession starts the process; the caller registers the session.
func startSession(spec sessionSpec) (*session, error) {
	path, err := lookPath(spec.Command[0], spec.Env, spec.Cwd)
	if err != nil {
		return nil, err
	}
	cmd := &exec.Cmd{Path: path, Args: spec.Command, Env: spec.Env, Dir: spec.Cwd}
	s := &session{
		id:          spec.ID,
		command:     spec.Command,
		tty:         spec.TTY,
		idleTimeout: spec.IdleTimeout,
		bufferCap:   spec.Buffer,
		cmd:         cmd,
		exited:      make(chan struct{}),
		outputDone:  make(chan struct{}),
		finishedc:   make(chan struct{}),
		ring:        newRing(spec.Buffer),
	}
	// childEnds are the descriptors only the child keeps: the daemon closes its copies after the
	// fork so that EOF on the output means every writer is gone.
	var childEnds []*os.File
	closeAll := func() {
		for _, f := range childEnds {
			f.Close()
		}
		if s.output != nil {
			s.output.Close()
		}
		if s.input != nil && s.input != s.output {
			s.input.Close()
		}
	}
	if spec.TTY {
		master, slave, err := openPTY()
		if err != nil {
			return nil, fmt.Errorf("open pty: %w", err)
		}
		s.output, s.input = master, master
		childEnds = append(childEnds, slave)
		if err := setWinsize(master, spec.Cols, spec.Rows); err != nil {
			closeAll()
			return nil, fmt.Errorf("set pty size: %w", err)
		}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
		// A new session with the PTY as controlling terminal: job control, ^C and SIGWINCH work,
		// and the session leader's pid is also its process group for `close`.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	} else {
		inR, inW, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		s.input = inW
		childEnds = append(childEnds, inR)
		outR, outW, err := os.Pipe()
		if err != nil {
			closeAll()
			return nil, err
		}
		s.output = outR
		childEnds = append(childEnds, outW)
		// stdout and stderr share one pipe: one stream, in the order the process wrote it.
		cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, outW
		// Its own process group, so `close` reaches the children it forks as well.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	if err := cmd.Start(); err != nil {
		closeAll()
		return nil, err
	}
	for _, f := range childEnds {
		f.Close()
	}
	now := time.Now()
	s.pid = cmd.Process.Pid
	s.started, s.lastActive = now, now
	go s.pump()
	go s.wait()
	return s, nil
}

// lookPath resolves the command like execvp, but with the PATH of the process's own environment
// (so `--env PATH=...` applies). Relative PATH entries are skipped: a sandbox user's cwd must not
// decide which binary a bare name means.
func lookPath(name string, env []string, cwd string) (string, error) {
	if name == "" {
		return "", errors.New("empty command")
	}
	if strings.Contains(name, "/") {
		p := name
		if !filepath.IsAbs(p) && cwd != "" {
			p = filepath.Join(cwd, p)
		}
		if err := checkExecutable(p); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return p, nil
	}
	path := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, dir := range filepath.SplitList(path) {
		if !filepath.IsAbs(dir) {
			continue
		}
		p := filepath.Join(dir, name)
		if checkExecutable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: executable file not found in PATH", name)
}

// checkExecutable asks the kernel whether this user may execute p (like execvp, an entry that
// is not executable for us is skipped, not fatal).
func checkExecutable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return errors.New("is a directory")
	}
	const xOK = 1
	return syscall.Access(p, xOK)
}

// pump moves the process's output into the ring and wakes the attachment.
func (s *session) pump() {
	defer close(s.outputDone)
	buf := make([]byte, pumpChunk)
	for {
		n, err := s.output.Read(buf)
		s.appendOutput(buf[:n])
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			s.drainNow(buf)
		}
		// io.EOF (pipe), EIO (PTY master once the last slave is closed), or stopped by wait().
		return
	}
}

// drainNow collects what is already readable without waiting for more: wait() stops the pump
// with a read deadline when a background child keeps the output open, and bytes the process
// wrote just before exiting must not be lost then. Bounded, since such a child may still write.
func (s *session) drainNow(buf []byte) {
	if s.output.SetReadDeadline(time.Time{}) != nil {
		return
	}
	rc, err := s.output.SyscallConn()
	if err != nil {
		return
	}
	for range 64 {
		var n int
		// The descriptor is non-blocking (Go's poller owns it): read once, never wait.
		if rc.Read(func(fd uintptr) bool { n, _ = syscall.Read(int(fd), buf); return true }) != nil || n <= 0 {
			return
		}
		s.appendOutput(buf[:n])
	}
}

func (s *session) appendOutput(p []byte) {
	if len(p) == 0 {
		return
	}
	s.mu.Lock()
	s.ring.write(p)
	a := s.att
	s.mu.Unlock()
	if a != nil {
		a.kick()
	}
}

// wait reaps the process, lets the output drain, then marks the session finished.
func (s *session) wait() {
	_ = s.cmd.Wait() // the exit status is in ProcessState; our own pipes need no copying
	code := exitCode(s.cmd.ProcessState)
	s.mu.Lock()
	s.exitCode, s.exitedAt = code, time.Now()
	s.mu.Unlock()
	close(s.exited)

	select {
	case <-s.outputDone:
	case <-time.After(drainGrace):
		// Someone else still holds the output open. Stop the pump (a deadline interrupts its
		// Read); if the descriptor can't take deadlines, closing it is the fallback.
		if s.output.SetReadDeadline(time.Now()) != nil {
			s.closeIO()
		}
		<-s.outputDone
	}
	s.closeIO()

	s.mu.Lock()
	s.finished = true
	a := s.att
	s.mu.Unlock()
	close(s.finishedc)
	if a != nil {
		a.kick()
	}
}

// exitCode is the exit status, or 128+signal like a shell reports it.
func exitCode(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

func (s *session) closeIO() {
	s.closeIOOnce.Do(func() {
		s.output.Close()
		if s.input != s.output {
			s.input.Close()
		}
	})
}

// defaultSignal for close: a terminal hangs up; a pipe session is asked to terminate.
func (s *session) defaultSignal() syscall.Signal {
	if s.tty {
		return syscall.SIGHUP
	}
	return syscall.SIGTERM
}

// terminate signals the process group and escalates to SIGKILL after closeGrace. It returns once
// the process has been reaped, or killWait after the SIGKILL.
func (s *session) terminate(sig syscall.Signal) {
	if !s.signalGroup(sig) {
		return
	}
	select {
	case <-s.exited:
		return
	case <-time.After(closeGrace):
	}
	if !s.signalGroup(syscall.SIGKILL) {
		return
	}
	select {
	case <-s.exited:
	case <-time.After(killWait):
	}
}

// signalGroup signals the process group (the pid is its leader: Setsid or Setpgid). It reports
// false if the process has already been reaped: its pid may belong to someone else by now.
func (s *session) signalGroup(sig syscall.Signal) bool {
	select {
	case <-s.exited:
		return false
	default:
	}
	if err := syscall.Kill(-s.pid, sig); err == syscall.ESRCH {
		_ = syscall.Kill(s.pid, sig) // it left its group (setpgid/setsid of its own)
	}
	return true
}

// writeInput copies r into the process's input, through buf (bounded memory). The input lock is
// taken per chunk, not for the whole copy: a client that opens a write and then sends nothing
// must not lock out everyone else's input.
func (s *session) writeInput(r io.Reader, buf []byte) (int64, error) {
	var total int64
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			s.inputMu.Lock()
			if s.inputClosed {
				s.inputMu.Unlock()
				return total, errInputClosed
			}
			w, werr := s.input.Write(buf[:n])
			s.inputMu.Unlock()
			total += int64(w)
			if werr != nil {
				if errors.Is(werr, os.ErrClosed) || errors.Is(werr, syscall.EPIPE) || errors.Is(werr, syscall.EIO) {
					werr = errInputClosed
				}
				return total, werr
			}
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// closeInput ends the process's stdin (EOF). On a PTY there is no separate stdin to close: it
// sends the terminal's EOF character (^D) instead, as a user would.
func (s *session) closeInput() error {
	if s.tty {
		_, err := s.writeInput(strings.NewReader("\x04"), make([]byte, 1))
		return err
	}
	s.inputMu.Lock()
	defer s.inputMu.Unlock()
	if !s.inputClosed {
		s.inputClosed = true
		return s.input.Close()
	}
	return nil
}

func (s *session) resize(cols, rows uint16) error {
	if !s.tty || cols == 0 || rows == 0 {
		return nil
	}
	select {
	case <-s.outputDone: // the master may be closed
		return nil
	default:
	}
	return setWinsize(s.output, cols, rows)
}

// touch records client activity (the idle timeout counts from the last one).
func (s *session) touch() {
	s.mu.Lock()
	s.lastActive = time.Now()
	s.mu.Unlock()
}

// sessionInfo is one entry of `list`.
type sessionInfo struct {
	ID          string   `json:"id"`
	PID         int      `json:"pid"`
	Command     []string `json:"command"`
	TTY         bool     `json:"tty"`
	StartedAt   string   `json:"startedAt"`
	Running     bool     `json:"running"`
	ExitCode    *int     `json:"exitCode"`
	Attached    bool     `json:"attached"`
	Produced    int64    `json:"produced"`
	BufferStart int64    `json:"bufferStart"`
	IdleSeconds int64    `json:"idleSeconds"`
}

func (s *session) info(now time.Time) sessionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := sessionInfo{
		ID:          s.id,
		PID:         s.pid,
		Command:     s.command,
		TTY:         s.tty,
		StartedAt:   s.started.UTC().Format(time.RFC3339),
		Running:     !s.finished,
		Attached:    s.att != nil,
		Produced:    s.ring.produced,
		BufferStart: s.ring.start(),
	}
	if s.finished {
		code := s.exitCode
		in.ExitCode = &code
	}
	if s.att == nil {
		in.IdleSeconds = int64(now.Sub(s.lastActive) / time.Second)
	}
	return in
}

// readResult is the answer to `read`.
type readResult struct {
	Data     []byte `json:"data"` // base64 in JSON; never null (see read)
	Cursor   int64  `json:"cursor"`
	Next     int64  `json:"next"`
	Dropped  int64  `json:"dropped"`
	Running  bool   `json:"running"`
	ExitCode *int   `json:"exitCode"`
}

// read returns buffered output from cursor (nil: from the oldest byte still held).
func (s *session) read(cursor *int64, limit int) readResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.ring.start()
	if cursor != nil {
		c = *cursor
	}
	data, from, dropped := s.ring.read(c, limit)
	if data == nil {
		data = []byte{} // encodes as "" rather than null
	}
	res := readResult{Data: data, Cursor: from, Next: from + int64(len(data)), Dropped: dropped, Running: !s.finished}
	if s.finished {
		code := s.exitCode
		res.ExitCode = &code
		if res.Next == s.ring.produced {
			s.delivered = true // the client has the tail and the exit code
		}
	}
	s.lastActive = time.Now()
	return res
}
