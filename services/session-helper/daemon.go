package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Limits that keep a hostile client (the sandbox's own code can reach the socket) from making the
// daemon allocate without bound. Worst case: maxConns request lines plus maxSessions buffers
// within maxTotalBuffer.
const (
	maxRequestLine   = 256 << 10 // one JSON request: command line and environment of a start
	maxConns         = 64        // concurrent connections (attachments included)
	maxSessions      = 128       // registered sessions, exited ones included
	maxTotalBuffer   = 256 << 20 // sum of the sessions' buffer capacities
	maxConcurrentRd  = 4         // `read` answers being built at once (each up to ~2.4 MiB)
	requestTimeout   = 10 * time.Second
	responseTimeout  = 30 * time.Second
	janitorInterval  = time.Second
	defaultMaxRead   = 64 << 10
	maxRead          = 1 << 20
	minBuffer        = 4 << 10
	maxBuffer        = 16 << 20
	defaultBuffer    = 1 << 20
	defaultIdleSecs  = 1800
	maxIdleSecs      = 365 * 24 * 3600
	exitedLingerMax  = time.Hour // an exited session nobody collected is dropped after this
	defaultLingerSec = 60        // daemon: exit after this long with no sessions
	defaultExitedSec = 300       // exited session: kept this long after its exit was collected
)

// validID checks ^[A-Za-z0-9_-]{1,64}$ by hand: regexp would add a quarter MiB to the binary.
func validID(id string) bool {
	if len(id) < 1 || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// request is the one JSON line a client sends first.
type request struct {
	Op          string   `json:"op"`
	ID          string   `json:"id,omitempty"`
	Command     []string `json:"command,omitempty"`
	TTY         bool     `json:"tty,omitempty"`
	Rows        int      `json:"rows,omitempty"`
	Cols        int      `json:"cols,omitempty"`
	Buffer      int      `json:"buffer,omitempty"`
	IdleTimeout *int64   `json:"idleTimeout,omitempty"` // seconds; nil = default, 0 = never
	Cwd         string   `json:"cwd,omitempty"`
	Env         []string `json:"env,omitempty"`
	Cursor      *int64   `json:"cursor,omitempty"`
	Max         int      `json:"max,omitempty"`
	Signal      string   `json:"signal,omitempty"`
	EOF         bool     `json:"eof,omitempty"` // write: close the session's stdin afterwards
}

// response is the JSON line the daemon answers with: a result or an error. NotFound makes the
// CLI exit 2. For attach and write an OK response is followed by the stream.
type response struct {
	Result   any    `json:"result,omitempty"`
	Error    string `json:"error,omitempty"`
	NotFound bool   `json:"notFound,omitempty"`
}

type daemonConfig struct {
	dir          string
	lingerEmpty  time.Duration // exit after this long without sessions; 0 = never
	exitedLinger time.Duration // keep a collected exited session this long after its exit
}

// daemon serves every session of the sandbox over one unix socket.
type daemon struct {
	cfg   daemonConfig
	ln    *net.UnixListener
	lock  *os.File // flock held for the daemon's lifetime
	quit  chan struct{}
	readc chan struct{} // semaphore for `read`

	mu         sync.Mutex // guards everything below; taken before any session's mu
	sessions   map[string]*session
	reserved   int64 // sum of bufferCap over sessions
	conns      int
	released   int // buffer bytes of removed sessions since the last FreeOSMemory
	emptySince time.Time
	closing    bool
}

var errAlreadyRunning = errors.New("another daemon holds the lock")

// listenDaemon takes the daemon lock and binds the socket. errAlreadyRunning means another
// daemon won the race, which is fine: it serves the socket.
func listenDaemon(cfg daemonConfig) (*daemon, error) {
	if err := os.MkdirAll(cfg.dir, 0o700); err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(filepath.Join(cfg.dir, "daemon.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	// The lock lives as long as this process (the descriptor is close-on-exec, so no session's
	// process inherits it): a stale socket file left by a dead daemon is never mistaken for a
	// live one, and two daemons started at once cannot both serve.
	if err := flock(lock); err != nil {
		lock.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errAlreadyRunning
		}
		return nil, fmt.Errorf("lock: %w", err)
	}
	sock := socketPath(cfg.dir)
	if len(sock) >= 108 { // sizeof(sun_path)
		lock.Close()
		return nil, fmt.Errorf("socket path too long for a unix socket: %s", sock)
	}
	_ = os.Remove(sock) // left by a daemon that died; we hold the lock, so nobody serves it
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		lock.Close()
		return nil, err
	}
	_ = os.Chmod(sock, 0o600)
	// The pid in the lock file is for people and tests; the lock itself is what counts.
	_ = lock.Truncate(0)
	_, _ = lock.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &daemon{
		cfg:        cfg,
		ln:         ln,
		lock:       lock,
		quit:       make(chan struct{}),
		readc:      make(chan struct{}, maxConcurrentRd),
		sessions:   map[string]*session{},
		emptySince: time.Now(),
	}, nil
}

func flock(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		ferr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
	}); err != nil {
		return err
	}
	return ferr
}

func socketPath(dir string) string { return filepath.Join(dir, "daemon.sock") }

// serve accepts connections until the daemon decides to exit (no sessions for lingerEmpty).
func (d *daemon) serve() {
	go d.janitor()
	for {
		c, err := d.ln.AcceptUnix()
		if err != nil {
			select {
			case <-d.quit:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			time.Sleep(50 * time.Millisecond) // e.g. EMFILE: don't spin
			continue
		}
		d.mu.Lock()
		switch {
		case d.closing:
			d.mu.Unlock()
			c.Close() // the client retries and starts a new daemon
			continue
		case d.conns >= maxConns:
			d.mu.Unlock()
			_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
			_ = json.NewEncoder(c).Encode(response{Error: "too many connections"})
			c.Close()
			continue
		}
		d.conns++
		d.mu.Unlock()
		go d.handle(c)
	}
}

// shutdown stops accepting and removes the socket. Sessions are left alone (tests kill them).
func (d *daemon) shutdown() {
	d.mu.Lock()
	already := d.closing
	d.closing = true
	d.mu.Unlock()
	if !already {
		d.stopListening()
	}
}

// stopListening ends serve; d.closing must already be set (so nothing new is accepted).
func (d *daemon) stopListening() {
	close(d.quit)
	d.ln.Close() // unlinks the socket file; the lock goes last, so no new daemon binds before
	d.lock.Close()
}

// janitor enforces idle timeouts, drops exited sessions after their linger and ends the daemon
// once it has had nothing to do for lingerEmpty.
func (d *daemon) janitor() {
	t := time.NewTicker(janitorInterval)
	defer t.Stop()
	for {
		select {
		case <-d.quit:
			return
		case now := <-t.C:
			if d.sweep(now) {
				d.stopListening()
				return
			}
			d.giveBackMemory()
		}
	}
}

// sweep does one janitor round; it reports whether the daemon should exit.
func (d *daemon) sweep(now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, s := range d.sessions {
		s.mu.Lock()
		attached, finished, closing := s.att != nil, s.finished, s.closing
		idle := now.Sub(s.lastActive)
		sinceExit := now.Sub(s.exitedAt)
		delivered := s.delivered
		timedOut := !finished && !attached && !closing && s.idleTimeout > 0 && idle >= s.idleTimeout
		if timedOut {
			s.closing = true
		}
		s.mu.Unlock()
		switch {
		case timedOut:
			go s.terminate(s.defaultSignal())
		case finished && !attached && (closing || sinceExit >= exitedLingerMax ||
			(delivered && sinceExit >= d.cfg.exitedLinger)):
			d.removeLocked(id, s)
		}
	}
	if len(d.sessions) > 0 || d.conns > 0 {
		d.emptySince = time.Time{}
		return false
	}
	if d.emptySince.IsZero() {
		d.emptySince = now
	}
	if d.cfg.lingerEmpty > 0 && now.Sub(d.emptySince) >= d.cfg.lingerEmpty {
		// Decided under the same lock that counts connections: from here on connections are
		// refused (their clients retry and start a new daemon), none is in flight.
		d.closing = true
		return true
	}
	return false
}

// giveBackMemory returns freed session buffers to the kernel once they add up to 1 MiB: Go's
// scavenger would take minutes, and the daemon's RSS is charged to the sandbox.
func (d *daemon) giveBackMemory() {
	d.mu.Lock()
	released := d.released
	if released >= 1<<20 {
		d.released = 0
	}
	d.mu.Unlock()
	if released >= 1<<20 {
		debug.FreeOSMemory()
	}
}

func (d *daemon) removeLocked(id string, s *session) {
	if d.sessions[id] == s {
		delete(d.sessions, id)
		d.reserved -= int64(s.bufferCap)
		s.mu.Lock()
		d.released += len(s.ring.buf)
		s.mu.Unlock()
	}
}

func (d *daemon) lookup(id string) *session {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sessions[id]
}

// handle serves one connection: a request line, then a response line (and for attach and write
// the stream that follows).
func (d *daemon) handle(c *net.UnixConn) {
	defer func() {
		d.mu.Lock()
		d.conns--
		d.mu.Unlock()
	}()
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(requestTimeout))
	in := bufio.NewReaderSize(c, 4<<10)
	line, err := readLine(in, maxRequestLine)
	if err != nil {
		var ne net.Error
		switch {
		case errors.Is(err, errLineTooLong):
			d.reply(c, response{Error: err.Error()})
		case errors.As(err, &ne) && ne.Timeout():
			d.reply(c, response{Error: fmt.Sprintf("no request line within %v", requestTimeout)})
		}
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		d.reply(c, response{Error: "bad request: " + err.Error()})
		return
	}
	switch req.Op {
	case "start":
		d.reply(c, d.start(req))
	case "list":
		d.reply(c, d.list())
	case "read":
		d.reply(c, d.read(req))
	case "close":
		d.reply(c, d.close(req))
	case "attach":
		d.attach(c, in, req)
	case "write":
		d.write(c, in, req)
	default:
		d.reply(c, response{Error: fmt.Sprintf("unknown op %q", req.Op)})
	}
}

var errLineTooLong = fmt.Errorf("request longer than %d bytes", maxRequestLine)

// readLine reads up to and including '\n', refusing lines longer than limit.
func readLine(r *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > limit || (err == bufio.ErrBufferFull && len(line)+len(chunk) >= limit) {
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if err == nil {
			return line, nil
		}
		if err != bufio.ErrBufferFull {
			return nil, err
		}
	}
}

func (d *daemon) reply(c net.Conn, r response) bool {
	_ = c.SetWriteDeadline(time.Now().Add(responseTimeout))
	b, err := json.Marshal(r)
	if err != nil {
		b, _ = json.Marshal(response{Error: err.Error()})
	}
	_, err = c.Write(append(b, '\n'))
	_ = c.SetWriteDeadline(time.Time{})
	return err == nil
}

func notFound(id string) response {
	return response{Error: fmt.Sprintf("no such session: %q", id), NotFound: true}
}

// specFromRequest validates a start request; the daemon checks everything itself, since any
// process in the sandbox can talk to the socket.
func specFromRequest(req request) (sessionSpec, error) {
	spec := sessionSpec{ID: req.ID, Command: req.Command, TTY: req.TTY, Cwd: req.Cwd}
	if spec.ID != "" && !validID(spec.ID) {
		return spec, fmt.Errorf("invalid session id %q: want ^[A-Za-z0-9_-]{1,64}$", spec.ID)
	}
	if len(spec.Command) == 0 || spec.Command[0] == "" {
		return spec, errors.New("no command given")
	}
	rows, cols := req.Rows, req.Cols
	if rows == 0 {
		rows = 24
	}
	if cols == 0 {
		cols = 80
	}
	if rows < 1 || rows > 65535 || cols < 1 || cols > 65535 {
		return spec, errors.New("rows and cols must be within 1..65535")
	}
	spec.Rows, spec.Cols = uint16(rows), uint16(cols)
	spec.Buffer = req.Buffer
	if spec.Buffer == 0 {
		spec.Buffer = defaultBuffer
	}
	if spec.Buffer < minBuffer || spec.Buffer > maxBuffer {
		return spec, fmt.Errorf("buffer must be within %d..%d bytes", minBuffer, maxBuffer)
	}
	idle := int64(defaultIdleSecs)
	if req.IdleTimeout != nil {
		idle = *req.IdleTimeout
	}
	if idle < 0 || idle > maxIdleSecs {
		return spec, fmt.Errorf("idle-timeout must be within 0..%d seconds", maxIdleSecs)
	}
	spec.IdleTimeout = time.Duration(idle) * time.Second
	if spec.Cwd == "" {
		spec.Cwd = "/"
	}
	env, err := mergeEnv(os.Environ(), req.Env)
	if err != nil {
		return spec, err
	}
	if spec.TTY && !hasEnv(env, "TERM") {
		env = append(env, "TERM=xterm-256color")
	}
	spec.Env = env
	return spec, nil
}

// mergeEnv overlays K=V entries on base; a later entry wins over an earlier one.
func mergeEnv(base, extra []string) ([]string, error) {
	index := map[string]int{}
	out := make([]string, 0, len(base)+len(extra))
	add := func(kv string) {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := index[k]; ok {
			out[i] = kv
			return
		}
		index[k] = len(out)
		out = append(out, kv)
	}
	for _, kv := range base {
		add(kv)
	}
	for _, kv := range extra {
		k, _, ok := strings.Cut(kv, "=")
		if !ok || k == "" || strings.ContainsRune(kv, 0) {
			return nil, fmt.Errorf("invalid env entry %q: want K=V", kv)
		}
		add(kv)
	}
	return out, nil
}

func hasEnv(env []string, key string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, key+"=") {
			return true
		}
	}
	return false
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (d *daemon) start(req request) response {
	spec, err := specFromRequest(req)
	if err != nil {
		return response{Error: err.Error()}
	}
	// The registry lock is held across the fork: starting is quick, and this makes duplicate
	// ids and the limits exact without a reservation protocol.
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closing {
		return response{Error: "daemon is shutting down"}
	}
	if spec.ID == "" {
		for spec.ID == "" || d.sessions[spec.ID] != nil {
			spec.ID = newID()
		}
	} else if d.sessions[spec.ID] != nil {
		return response{Error: fmt.Sprintf("session %q already exists", spec.ID)}
	}
	if len(d.sessions) >= maxSessions {
		d.evictExitedLocked()
	}
	if len(d.sessions) >= maxSessions {
		return response{Error: fmt.Sprintf("too many sessions (%d)", maxSessions)}
	}
	for d.reserved+int64(spec.Buffer) > maxTotalBuffer && d.evictExitedLocked() {
	}
	if d.reserved+int64(spec.Buffer) > maxTotalBuffer {
		return response{Error: fmt.Sprintf("session buffers would exceed %d bytes in total", maxTotalBuffer)}
	}
	s, err := startSession(spec)
	if err != nil {
		return response{Error: err.Error()}
	}
	d.sessions[s.id] = s
	d.reserved += int64(s.bufferCap)
	return response{Result: map[string]any{"id": s.id, "pid": s.pid}}
}

// evictExitedLocked drops the exited, unattached session that exited first, to make room.
func (d *daemon) evictExitedLocked() bool {
	var victim *session
	var at time.Time
	for _, s := range d.sessions {
		s.mu.Lock()
		ok := s.finished && s.att == nil
		exitedAt := s.exitedAt
		s.mu.Unlock()
		if ok && (victim == nil || exitedAt.Before(at)) {
			victim, at = s, exitedAt
		}
	}
	if victim == nil {
		return false
	}
	d.removeLocked(victim.id, victim)
	return true
}

func (d *daemon) list() response {
	d.mu.Lock()
	all := make([]*session, 0, len(d.sessions))
	for _, s := range d.sessions {
		all = append(all, s)
	}
	d.mu.Unlock()
	sort.Slice(all, func(i, j int) bool {
		if !all[i].started.Equal(all[j].started) {
			return all[i].started.Before(all[j].started)
		}
		return all[i].id < all[j].id
	})
	now := time.Now()
	infos := make([]sessionInfo, len(all))
	for i, s := range all {
		infos[i] = s.info(now)
	}
	return response{Result: map[string]any{"sessions": infos}}
}

func (d *daemon) read(req request) response {
	s := d.lookup(req.ID)
	if s == nil {
		return notFound(req.ID)
	}
	limit := req.Max
	if limit <= 0 {
		limit = defaultMaxRead
	}
	limit = min(limit, maxRead)
	d.readc <- struct{}{}
	defer func() { <-d.readc }()
	return response{Result: s.read(req.Cursor, limit)}
}

func (d *daemon) close(req request) response {
	s := d.lookup(req.ID)
	if s == nil {
		return notFound(req.ID)
	}
	sig := s.defaultSignal()
	if req.Signal != "" {
		var err error
		if sig, err = parseSignal(req.Signal); err != nil {
			return response{Error: err.Error()}
		}
	}
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.terminate(sig)
	// Drop it at once if nothing is attached (an attachment first gets its 'x' frame; the
	// janitor removes the session after that). An unkillable process (stuck in the kernel)
	// stays listed as running and closing.
	select {
	case <-s.finishedc:
	case <-time.After(drainGrace + time.Second):
		return response{Result: map[string]bool{"closed": true}}
	}
	d.mu.Lock()
	s.mu.Lock()
	gone := s.att == nil
	s.mu.Unlock()
	if gone {
		d.removeLocked(s.id, s)
	}
	d.mu.Unlock()
	return response{Result: map[string]bool{"closed": true}}
}

func parseSignal(name string) (syscall.Signal, error) {
	switch strings.TrimPrefix(strings.ToUpper(name), "SIG") {
	case "TERM":
		return syscall.SIGTERM, nil
	case "KILL":
		return syscall.SIGKILL, nil
	case "HUP":
		return syscall.SIGHUP, nil
	case "INT":
		return syscall.SIGINT, nil
	}
	return 0, fmt.Errorf("unsupported signal %q: want TERM, KILL, HUP or INT", name)
}

func (d *daemon) attach(c *net.UnixConn, in *bufio.Reader, req request) {
	s := d.lookup(req.ID)
	if s == nil {
		d.reply(c, notFound(req.ID))
		return
	}
	if !d.reply(c, response{Result: map[string]bool{"attached": true}}) {
		return
	}
	s.attach(c, in, req.Cursor).serve()
}

// write streams the connection's remaining bytes into the session's input: an OK line first (so
// the client knows the session exists before it sends anything), then the final count.
func (d *daemon) write(c *net.UnixConn, in *bufio.Reader, req request) {
	s := d.lookup(req.ID)
	if s == nil {
		d.reply(c, notFound(req.ID))
		return
	}
	if !d.reply(c, response{Result: map[string]bool{"ready": true}}) {
		return
	}
	s.touch()
	n, err := s.writeInput(in, make([]byte, 32<<10))
	if err == nil && req.EOF {
		err = s.closeInput()
	}
	s.touch()
	if err != nil {
		d.reply(c, response{Error: fmt.Sprintf("wrote %d bytes: %v", n, err)})
		return
	}
	d.reply(c, response{Result: map[string]int64{"written": n}})
}
