package main

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// openPTY allocates a pseudo-terminal pair the way glibc's posix_openpt/grantpt/unlockpt/ptsname
// do, but with plain syscalls so the helper needs no libc in the image: open /dev/ptmx, unlock
// the slave (TIOCSPTLCK), ask for its number (TIOCGPTN), open /dev/pts/N. grantpt's chown is not
// needed: a devpts mounted with newinstance (runc, gVisor) already gives the slave to the opener.
// Both ends are opened O_NOCTTY so the daemon never acquires a controlling terminal; the child
// gets the slave as its controlling terminal through Setsid+Setctty.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*os.File, *os.File, error) {
		master.Close()
		return nil, nil, err
	}
	unlock := int32(0)
	if err := ioctl(master, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		return fail(fmt.Errorf("unlock pty: %w", err))
	}
	var n uint32
	if err := ioctl(master, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		return fail(fmt.Errorf("pty number: %w", err))
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return fail(err)
	}
	return master, slave, nil
}

// winsize is struct winsize from <asm-generic/termios.h>.
type winsize struct {
	rows, cols, xpixel, ypixel uint16
}

// setWinsize sets the terminal size; the kernel sends SIGWINCH to the foreground process group.
func setWinsize(f *os.File, cols, rows uint16) error {
	ws := winsize{rows: rows, cols: cols}
	return ioctl(f, syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
}

// ioctl goes through SyscallConn rather than f.Fd(): Fd() would switch the descriptor to
// blocking mode, and then Close could no longer interrupt a pending Read on it.
func ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	err = rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg))
	})
	if err != nil {
		return err
	}
	if errno != 0 {
		return errno
	}
	return nil
}
