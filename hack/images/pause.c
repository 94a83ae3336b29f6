/* The pod sandbox's first process: it holds the pod's namespaces open, reaps zombies and exits
 * on SIGINT/SIGTERM. Written for the test bed so containerd's sandbox image comes from source.
 *
 * Two more modes serve image pre-pull, where a container of an arbitrary image must start and
 * exit 0 without relying on anything inside that image (not even a shell):
 *   pause -copy DIR   copies this static binary to DIR/pause (a volume shared with the next
 *                     init container) and exits 0;
 *   pause -exit       exits 0 at once (run from that volume inside the image being pulled).
 *
 * A sandbox whose template sets a command starts it through a copy of this binary (put in place by
 * `-copy`), so the command never races the postStart hook that writes the template's files and
 * runs its startup script:
 *   pause -wait FILE -- CMD [ARGS...]
 *                     waits until FILE exists (the hook creates it last), removes it (so after a
 *                     container restart the command waits for the hook's next run), then execs
 *                     CMD, which takes over the PID and argv; gives up with exit 125 after
 *                     WAIT_LIMIT_SECONDS. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Longer than any startup timeout the API allows by default (SANDBOX_MAX_STARTUP_TIMEOUT, 600 s):
 * the sandbox is failed at its own deadline anyway; this only keeps a launcher whose hook died
 * without killing the container from waiting for ever. */
#define WAIT_LIMIT_SECONDS 3600
#define WAIT_STEP_NANOS 50000000L /* 50 ms: the command starts at most this late */

static int copy_self(const char *dir) {
  char target[4096];
  char buffer[65536];
  ssize_t n;
  if (snprintf(target, sizeof target, "%s/pause", dir) >= (int)sizeof target) return 1;
  int in = open("/proc/self/exe", O_RDONLY);
  int out = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (in < 0 || out < 0) {
    perror("open");
    return 1;
  }
  while ((n = read(in, buffer, sizeof buffer)) > 0) {
    if (write(out, buffer, (size_t)n) != n) {
      perror("write");
      return 1;
    }
  }
  if (n < 0 || close(out)) {
    perror("copy");
    return 1;
  }
  return chmod(target, 0755) ? 1 : 0;
}

static int wait_then_exec(const char *file, char **command) {
  struct timespec step = {0, WAIT_STEP_NANOS};
  long steps = WAIT_LIMIT_SECONDS * (1000000000L / WAIT_STEP_NANOS);
  struct stat st;
  while (stat(file, &st) != 0) {
    if (errno != ENOENT) {
      fprintf(stderr, "pause: cannot check %s: %s\n", file, strerror(errno));
      return 125;
    }
    if (steps-- <= 0) {
      fprintf(stderr, "pause: %s did not appear within %d s; not starting %s\n", file,
              WAIT_LIMIT_SECONDS, command[0]);
      return 125;
    }
    nanosleep(&step, NULL);
  }
  if (unlink(file) != 0 && errno != ENOENT)
    fprintf(stderr, "pause: cannot remove %s: %s (a restart will not wait)\n", file, strerror(errno));
  execvp(command[0], command);
  /* The shell's convention: 127 not found, 126 found but not runnable. */
  int code = errno == ENOENT ? 127 : 126;
  fprintf(stderr, "pause: cannot run %s: %s\n", command[0], strerror(errno));
  return code;
}

static void on_stop(int sig) { (void)sig; _exit(0); }

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {}
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "-exit") == 0) return 0;
  if (argc == 3 && strcmp(argv[1], "-copy") == 0) return copy_self(argv[2]);
  if (argc >= 5 && strcmp(argv[1], "-wait") == 0 && strcmp(argv[3], "--") == 0)
    return wait_then_exec(argv[2], argv + 4);
  if (argc > 1) {
    fprintf(stderr, "usage: pause | pause -copy DIR | pause -exit | pause -wait FILE -- CMD [ARGS...]\n");
    return 2;
  }
  struct sigaction stop, child;
  memset(&stop, 0, sizeof stop);
  memset(&child, 0, sizeof child);
  stop.sa_handler = on_stop;
  child.sa_handler = on_child;
  child.sa_flags = SA_NOCLDSTOP;
  if (sigaction(SIGINT, &stop, NULL) || sigaction(SIGTERM, &stop, NULL) ||
      sigaction(SIGCHLD, &child, NULL)) {
    perror("sigaction");
    return 1;
  }
  for (;;) pause();
}
