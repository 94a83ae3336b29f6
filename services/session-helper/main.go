// Command lbx-session keeps terminal and exec sessions of a LiteBoxd sandbox alive independently
// of the control plane. One daemon per sandbox container owns the processes and their output
// buffers; every other subcommand is a short-lived client that the API runs through pod exec.
// See README.md for the protocol.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

const version = "1"

// cliError carries the exit code: 2 for "no such session", 1 otherwise.
type cliError struct {
	code int
	msg  string
}

func (e *cliError) Error() string { return e.msg }

func fail(format string, args ...any) error {
	return &cliError{code: 1, msg: fmt.Sprintf(format, args...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it too.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return report(stderr, fail("usage: lbx-session start|attach|list|read|close|write|install|version|daemon ..."))
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "daemon":
		return runDaemon(rest)
	case "start":
		err = cmdStart(rest, stdout)
	case "attach":
		err = cmdAttach(rest, stdin, stdout)
	case "list":
		err = cmdList(rest, stdout)
	case "read":
		err = cmdRead(rest, stdout)
	case "close":
		err = cmdClose(rest, stdout)
	case "write":
		err = cmdWrite(rest, stdin, stdout)
	case "install":
		err = cmdInstall(rest, stdout)
	case "version":
		_, err = fmt.Fprintf(stdout, "{\"version\":%q}\n", version)
	default:
		err = fail("unknown subcommand %q", cmd)
	}
	return report(stderr, err)
}

// report prints err as {"error":"..."} on stderr and returns the exit code.
func report(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	code := 1
	var ce *cliError
	if errors.As(err, &ce) {
		code = ce.code
	}
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	fmt.Fprintf(stderr, "%s\n", b)
	return code
}

// newFlags makes a flag set that reports errors instead of printing usage.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseWithID parses "ID [flags]" or "[flags] ID": exactly one positional argument.
func parseWithID(fs *flag.FlagSet, args []string) (string, error) {
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", fail("%s: %v", fs.Name(), err)
	}
	rest := fs.Args()
	if id == "" && len(rest) > 0 {
		id, rest = rest[0], rest[1:]
	}
	if id == "" {
		return "", fail("%s: missing session id", fs.Name())
	}
	if len(rest) > 0 {
		return "", fail("%s: unexpected arguments %q", fs.Name(), rest)
	}
	return id, nil
}

// optionalInt64 is an int64 flag that remembers whether it was given.
type optionalInt64 struct{ v *int64 }

func (o *optionalInt64) String() string {
	if o.v == nil {
		return ""
	}
	return fmt.Sprint(*o.v)
}

func (o *optionalInt64) Set(s string) error {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %q", s)
	}
	o.v = &v
	return nil
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

func cmdStart(args []string, stdout io.Writer) error {
	fs := newFlags("start")
	req := request{Op: "start"}
	var idle optionalInt64
	var env stringList
	fs.StringVar(&req.ID, "id", "", "")
	fs.BoolVar(&req.TTY, "tty", false, "")
	fs.IntVar(&req.Rows, "rows", 24, "")
	fs.IntVar(&req.Cols, "cols", 80, "")
	fs.IntVar(&req.Buffer, "buffer", defaultBuffer, "")
	fs.Var(&idle, "idle-timeout", "")
	fs.StringVar(&req.Cwd, "cwd", "", "")
	fs.Var(&env, "env", "")
	if err := fs.Parse(args); err != nil {
		return fail("start: %v", err)
	}
	req.Command = fs.Args()
	if len(req.Command) == 0 {
		return fail("start: missing command (start [flags] -- CMD [ARGS...])")
	}
	req.IdleTimeout, req.Env = idle.v, env
	if req.Cwd == "" {
		// The CLI runs in the container's working directory (pod exec); the daemon runs in "/".
		if wd, err := os.Getwd(); err == nil {
			req.Cwd = wd
		}
	}
	return simpleRequest(req, stdout)
}

func cmdRead(args []string, stdout io.Writer) error {
	fs := newFlags("read")
	var cursor optionalInt64
	fs.Var(&cursor, "cursor", "")
	maxBytes := fs.Int("max", defaultMaxRead, "")
	id, err := parseWithID(fs, args)
	if err != nil {
		return err
	}
	return simpleRequest(request{Op: "read", ID: id, Cursor: cursor.v, Max: *maxBytes}, stdout)
}

func cmdClose(args []string, stdout io.Writer) error {
	fs := newFlags("close")
	sig := fs.String("signal", "", "")
	id, err := parseWithID(fs, args)
	if err != nil {
		return err
	}
	if *sig != "" {
		if _, err := parseSignal(*sig); err != nil {
			return fail("close: %v", err)
		}
	}
	return simpleRequest(request{Op: "close", ID: id, Signal: *sig}, stdout)
}

func cmdList(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return fail("list: unexpected arguments %q", args)
	}
	return simpleRequest(request{Op: "list"}, stdout)
}

// simpleRequest sends req and prints the result line.
func simpleRequest(req request, stdout io.Writer) error {
	conn, result, err := dialRequest(req)
	if err != nil {
		return err
	}
	conn.Close()
	_, err = fmt.Fprintf(stdout, "%s\n", result)
	return err
}
