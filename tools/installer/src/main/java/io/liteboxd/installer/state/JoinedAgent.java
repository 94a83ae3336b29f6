package io.liteboxd.installer.state;

/**
 * An agent this installer joined, as state.json keeps it: enough to find its node (nodeIP) and to
 * reach the machine again once it is no longer in the configuration (removeAbsentAgents), with
 * the password's environment variable by name only ({@code passwordEnv}, null when the file held
 * the password itself).
 */
public record JoinedAgent(String nodeIP, String host, int port, String user, boolean sudo, String passwordEnv) {
  public String address() {
    return host + ":" + port;
  }
}
