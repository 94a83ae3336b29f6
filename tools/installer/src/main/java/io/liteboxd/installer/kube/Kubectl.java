package io.liteboxd.installer.kube;

import io.liteboxd.installer.local.LocalCommand;
import java.time.Duration;
import java.util.List;

/** The kubectl command lines the installer uses, in one place. */
public final class Kubectl {
  private Kubectl() {}

  public static LocalCommand getNodes() {
    return new LocalCommand("list nodes", List.of("kubectl", "get", "nodes", "-o", "json"), Duration.ofSeconds(60));
  }

  /** The API server's own readiness (what k3s answers once it serves, after a start or restart). */
  public static LocalCommand apiReady() {
    return new LocalCommand("ask the API server whether it is ready", List.of("kubectl", "get", "--raw=/readyz"),
        Duration.ofSeconds(15));
  }

  public static LocalCommand cordon(String node) {
    return new LocalCommand("cordon " + node, List.of("kubectl", "cordon", node), Duration.ofSeconds(60));
  }

  public static LocalCommand drain(String node, Duration timeout) {
    return new LocalCommand("drain " + node,
        List.of("kubectl", "drain", node, "--ignore-daemonsets", "--delete-emptydir-data",
            "--timeout=" + timeout.toSeconds() + "s"),
        timeout.plusSeconds(60));
  }

  public static LocalCommand deleteNode(String node) {
    return new LocalCommand("delete node " + node,
        List.of("kubectl", "delete", "node", node, "--ignore-not-found"), Duration.ofSeconds(120));
  }
}
