package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.config.Secret;
import io.liteboxd.installer.local.LocalCommand;
import io.liteboxd.installer.local.LocalCommands;
import io.liteboxd.installer.log.InstallLog;
import io.liteboxd.installer.remote.CommandResult;
import io.liteboxd.installer.remote.RemoteCommand;
import io.liteboxd.installer.remote.RemoteException;
import io.liteboxd.installer.state.InstallState;
import io.liteboxd.installer.state.JoinedAgent;
import io.liteboxd.installer.state.StateStore;
import io.liteboxd.installer.state.StepRecord;
import io.liteboxd.installer.state.StepStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the phases share during one run: the configuration, the output, the state, the machines,
 * the local commands, and what earlier phases learned (the node token). Steps are run through
 * {@link #step}, which records them and, on resume, skips the ones already done.
 */
public final class PhaseContext {
  private final InstallConfig config;
  private final InstallLog log;
  private final InstallState state;
  private final StateStore store;
  private final HostPool hosts;
  private final LocalCommands local;
  private final Path stateDir;
  private final RunMode mode;
  private final boolean dryRun;
  private final boolean resume;
  private final Sleeper sleeper;
  private final AtomicReference<Secret> token = new AtomicReference<>();

  /**
   * @param store null in a dry run: nothing is written
   */
  public PhaseContext(InstallConfig config, InstallLog log, InstallState state, StateStore store, HostPool hosts,
      LocalCommands local, Path stateDir, RunMode mode, boolean dryRun, boolean resume, Sleeper sleeper) {
    this.config = config;
    this.log = log;
    this.state = state;
    this.store = store;
    this.hosts = hosts;
    this.local = local;
    this.stateDir = stateDir;
    this.mode = mode;
    this.dryRun = dryRun;
    this.resume = resume;
    this.sleeper = sleeper;
  }

  public InstallConfig config() {
    return config;
  }

  public InstallLog log() {
    return log;
  }

  public InstallState state() {
    return state;
  }

  public RunMode mode() {
    return mode;
  }

  public boolean dryRun() {
    return dryRun;
  }

  public boolean resume() {
    return resume;
  }

  public Sleeper sleeper() {
    return sleeper;
  }

  public Path stateDir() {
    return stateDir;
  }

  public Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  public Duration commandTimeout() {
    return Duration.ofSeconds(config.runtime().commandTimeoutSeconds());
  }

  public Optional<Secret> token() {
    return Optional.ofNullable(token.get());
  }

  /** Keeps the k3s node token for the agents, and masks it in all output from now on. */
  public void setToken(Secret value) {
    log.redactor().add(value);
    token.set(value);
  }

  /** Records a step's status (not in a dry run) and writes state.json. */
  public void record(String phase, String node, StepStatus status, String message, String fingerprint) {
    if (dryRun) return;
    state.set(phase, node, StepRecord.of(status, log.redactor().redact(message), fingerprint));
    store.save(state);
  }

  /** Records that this installer joined {@code agent} (not in a dry run): see removeAbsentAgents. */
  public void markJoined(NodeConfig agent) {
    if (dryRun) return;
    state.markJoined(new JoinedAgent(agent.nodeIP(), agent.host(), agent.port(), agent.user(), agent.sudo(),
        agent.passwordEnv()));
    store.save(state);
  }

  /** Forgets a removed machine everywhere in the state (not in a dry run). */
  public void forgetNode(String address) {
    if (dryRun) return;
    state.removeNode(address);
    store.save(state);
  }

  /**
   * Runs one step of {@code phase} on {@code node}: on resume, a step DONE (or SKIPPED) before with
   * the same fingerprint is not run again; otherwise it is marked RUNNING, run, and marked with its
   * outcome. A failure is recorded and stops the phase.
   */
  public void step(String phase, NodeConfig node, String phaseFingerprint, StepAction action)
      throws PhaseFailedException {
    String key = node.address();
    String fingerprint = phaseFingerprint == null ? null : Fingerprint.of(phaseFingerprint, node);
    if (resume && fingerprint != null) {
      Optional<StepRecord> prior = state.get(phase, key);
      if (prior.isPresent() && prior.get().status().finished() && fingerprint.equals(prior.get().fingerprint())) {
        log.info("  " + key + ": " + prior.get().status() + " in an earlier run (" + prior.get().message() + ")");
        return;
      }
    }
    record(phase, key, StepStatus.RUNNING, "", fingerprint);
    try {
      StepOutcome outcome = action.run();
      record(phase, key, outcome.status(), outcome.message(), fingerprint);
      log.info("  " + key + ": " + outcome.message());
    } catch (StepFailure e) {
      record(phase, key, StepStatus.FAILED, e.getMessage(), fingerprint);
      throw new PhaseFailedException(phase, key, log.redactor().redact(e.getMessage()));
    }
  }

  /** Runs a script on a node (logged with its output); a non-zero exit is returned, not thrown. */
  public CommandResult remote(NodeConfig node, String description, String script, boolean asRoot) throws StepFailure {
    try {
      CommandResult r = hosts.get(node).run(new RemoteCommand(description, script, asRoot, commandTimeout()));
      log.command(node.address(), description, r.exitCode(), r.took(), r.stdout(), r.stderr());
      return r;
    } catch (RemoteException e) {
      throw new StepFailure(description + ": " + e.kind() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a script (as root) whose output is secret: the node token, the admin kubeconfig. The
   * output is returned but never logged, not even as a tail in the log file; a failure keeps
   * its stderr.
   */
  public CommandResult remoteHidden(NodeConfig node, String description, String script) throws StepFailure {
    CommandResult r;
    try {
      r = hosts.get(node).run(new RemoteCommand(description, script, true, commandTimeout()));
    } catch (RemoteException e) {
      throw new StepFailure(description + ": " + e.kind() + ": " + e.getMessage(), e);
    }
    log.command(node.address(), description, r.exitCode(), r.took(), "(secret, not logged)", r.stderr());
    if (!r.ok()) throw new StepFailure(failureText(description, r));
    return r;
  }

  /** Like {@link #remote}, but a non-zero exit fails the step with the stderr tail. */
  public CommandResult remoteOk(NodeConfig node, String description, String script, boolean asRoot) throws StepFailure {
    CommandResult r = remote(node, description, script, asRoot);
    if (!r.ok()) throw new StepFailure(failureText(description, r));
    return r;
  }

  public void upload(NodeConfig node, byte[] content, String path, String mode, boolean asRoot) throws StepFailure {
    try {
      hosts.get(node).upload(content, path, mode, asRoot);
      log.detail(node.address() + ": uploaded " + content.length + " bytes to " + path + " (mode " + mode + ")");
    } catch (RemoteException e) {
      throw new StepFailure("upload " + path + ": " + e.kind() + ": " + e.getMessage(), e);
    }
  }

  public CommandResult local(LocalCommand command) throws StepFailure {
    try {
      CommandResult r = local.run(command);
      log.command("local", command.commandLine(), r.exitCode(), r.took(), r.stdout(), r.stderr());
      return r;
    } catch (IOException e) {
      throw new StepFailure(command.description() + ": " + e.getMessage(), e);
    }
  }

  public CommandResult localOk(LocalCommand command) throws StepFailure {
    CommandResult r = local(command);
    if (!r.ok()) throw new StepFailure(failureText(command.description(), r));
    return r;
  }

  public LocalCommands localCommands() {
    return local;
  }

  static String failureText(String description, CommandResult r) {
    String tail = InstallLog.tail(r.stderr().isBlank() ? r.stdout() : r.stderr());
    return description + " exited " + r.exitCode() + (tail.isEmpty() ? "" : ": " + tail);
  }
}
