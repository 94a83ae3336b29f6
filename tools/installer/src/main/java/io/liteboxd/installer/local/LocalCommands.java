package io.liteboxd.installer.local;

import io.liteboxd.installer.remote.CommandResult;
import java.io.IOException;

/**
 * Runs kubectl and helm on this machine, with KUBECONFIG set to the cluster's kubeconfig. The one
 * way the phases start local programs, so tests can script it and dry runs can print instead.
 */
public interface LocalCommands {
  /** A non-zero exit is a result; IOException means the program could not start or timed out. */
  CommandResult run(LocalCommand command) throws IOException;

  /** Whether {@code program} is found on PATH. */
  boolean onPath(String program);
}
