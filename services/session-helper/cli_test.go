package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cliResult is one run of the CLI as its own process.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs this test binary as lbx-session (see TestMain) with the given stdin.
func runCLI(t *testing.T, stdin io.Reader, args ...string) cliResult {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("lbx-session %v hung; stderr %q", args, errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return cliResult{code, out.String(), errb.String()}
}

// daemonGone reports whether the process has exited (or is a zombie nobody reaped yet: a
// reparented daemon's parent may not reap).
func daemonGone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && i+2 < len(s) && s[i+2] == 'Z'
}

// TestCLIEndToEnd drives the real CLI: it starts the daemon on demand (which must outlive the
// CLI process that started it), runs a session, reads and attaches, and the daemon exits after
// its linger once no session is left.
func TestCLIEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run") // missing: the CLI creates it
	t.Setenv("LBX_SESSION_DIR", dir)
	t.Setenv("LBX_SESSION_LINGER_EMPTY", "1")

	if r := runCLI(t, nil, "version"); r.code != 0 || strings.TrimSpace(r.stdout) != `{"version":"1"}` {
		t.Fatalf("version: %+v", r)
	}
	r := runCLI(t, nil, "start", "--id", "e2e", "--env", "WHO=world", "--", "sh", "-c", `echo "hi $WHO"; exit 5`)
	if r.code != 0 {
		t.Fatalf("start: %+v", r)
	}
	var started struct {
		ID  string
		PID int
	}
	if err := json.Unmarshal([]byte(r.stdout), &started); err != nil || started.ID != "e2e" || started.PID <= 0 {
		t.Fatalf("start printed %q (%v)", r.stdout, err)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("session dir: %v %v", fi, err)
	}
	pidText, err := os.ReadFile(filepath.Join(dir, "daemon.lock"))
	if err != nil {
		t.Fatal(err)
	}
	daemonPID, _ := strconv.Atoi(strings.TrimSpace(string(pidText)))
	t.Cleanup(func() {
		if !daemonGone(daemonPID) {
			syscall.Kill(daemonPID, syscall.SIGKILL)
		}
	})

	var rr readRes
	eventually(t, 10*time.Second, "the session to finish", func() bool {
		r := runCLI(t, nil, "read", "e2e")
		if r.code != 0 {
			t.Fatalf("read: %+v", r)
		}
		rr = readRes{}
		if err := json.Unmarshal([]byte(r.stdout), &rr); err != nil {
			t.Fatalf("read printed %q", r.stdout)
		}
		return !rr.Running
	})
	if string(rr.Data) != "hi world\n" || rr.ExitCode == nil || *rr.ExitCode != 5 {
		t.Fatalf("read: %s", describe(rr))
	}

	// attach: stdin stays open (a pipe we hold), so the stream runs until the exit frame.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	r = runCLI(t, pr, "attach", "e2e", "--cursor", "3")
	pr.Close()
	if r.code != 0 {
		t.Fatalf("attach: %+v", r)
	}
	var types []byte
	var output string
	stream := bytes.NewReader([]byte(r.stdout))
	for {
		typ, payload, err := readFrame(stream)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("attach stdout: %v", err)
		}
		types = append(types, typ)
		switch typ {
		case frameOutput:
			_, data, _ := parseOutput(payload)
			output += string(data)
		case frameExit:
			if string(payload) != `{"exitCode":5}` {
				t.Fatalf("exit frame %s", payload)
			}
		}
	}
	if types[0] != frameHello || types[len(types)-1] != frameExit || output != "world\n" {
		t.Fatalf("attach stream: types %q output %q", types, output)
	}

	if r := runCLI(t, nil, "read", "nope"); r.code != 2 || !strings.Contains(r.stderr, `{"error":`) {
		t.Fatalf("read of a missing session: %+v", r)
	}
	if r := runCLI(t, nil, "start", "--id", "e2e", "--", "true"); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("duplicate start: %+v", r)
	}
	if r := runCLI(t, nil, "bogus"); r.code != 1 {
		t.Fatalf("unknown subcommand: %+v", r)
	}
	if r := runCLI(t, nil, "close", "e2e"); r.code != 0 || strings.TrimSpace(r.stdout) != `{"closed":true}` {
		t.Fatalf("close: %+v", r)
	}
	if r := runCLI(t, nil, "list"); r.code != 0 || strings.TrimSpace(r.stdout) != `{"sessions":[]}` {
		t.Fatalf("list: %+v", r)
	}

	// No sessions: the daemon leaves after its linger and takes its socket with it.
	eventually(t, 10*time.Second, "the idle daemon to exit", func() bool { return daemonGone(daemonPID) })
	if _, err := os.Stat(socketPath(dir)); !os.IsNotExist(err) {
		t.Fatalf("socket left behind: %v", err)
	}
	// The next command starts a fresh daemon.
	if r := runCLI(t, nil, "list"); r.code != 0 {
		t.Fatalf("list after the daemon left: %+v", r)
	}
	pidText, _ = os.ReadFile(filepath.Join(dir, "daemon.lock"))
	if pid, _ := strconv.Atoi(strings.TrimSpace(string(pidText))); pid != daemonPID && pid > 0 {
		eventually(t, 10*time.Second, "the second daemon to exit", func() bool { return daemonGone(pid) })
	} else {
		t.Fatalf("no new daemon: lock file says %q", pidText)
	}
}

func TestInstall(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b") // missing: install creates it
	extra := filepath.Join(t.TempDir(), "pause")
	if err := os.WriteFile(extra, []byte("not really pause"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "install", dir, extra)
	if r.code != 0 {
		t.Fatalf("install: %+v", r)
	}
	self, other := filepath.Join(dir, "lbx-session"), filepath.Join(dir, "pause")
	var out struct{ Installed []string }
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Installed) != 2 ||
		out.Installed[0] != self || out.Installed[1] != other {
		t.Fatalf("install printed %q", r.stdout)
	}
	exe, _ := os.Executable()
	for dest, src := range map[string]string{self: exe, other: extra} {
		fi, err := os.Stat(dest)
		if err != nil || fi.Mode().Perm() != 0o755 {
			t.Fatalf("installed %s: %v %v", dest, fi, err)
		}
		want, _ := os.ReadFile(src)
		got, _ := os.ReadFile(dest)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s differs from %s", dest, src)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".lbx-session-*"))
	if len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
	if r := runCLI(t, nil, "install"); r.code != 1 {
		t.Fatalf("install without DIR: %+v", r)
	}
}
