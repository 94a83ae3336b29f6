/* The pod sandbox's first process: it holds the pod's namespaces open, reaps zombies and exits
 * on SIGINT/SIGTERM. Written for the test bed so containerd's sandbox image comes from source.
 *
 * Two more modes serve image pre-pull, where a container of an arbitrary image must start and
 * exit 0 without relying on anything inside that image (not even a shell):
 *   pause -copy DIR   copies this static binary to DIR/pause (a volume shared with the next
 *                     init container) and exits 0;
 *   pause -exit       exits 0 at once (run from that volume inside the image being pulled). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void on_stop(int sig) { (void)sig; _exit(0); }

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {}
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "-exit") == 0) return 0;
  if (argc == 3 && strcmp(argv[1], "-copy") == 0) return copy_self(argv[2]);
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
