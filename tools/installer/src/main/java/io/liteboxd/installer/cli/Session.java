package io.liteboxd.installer.cli;

import io.liteboxd.installer.config.ConfigException;
import io.liteboxd.installer.config.ConfigLoader;
import io.liteboxd.installer.config.ConfigSecrets;
import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.dryrun.DryRunHosts;
import io.liteboxd.installer.dryrun.DryRunLocalCommands;
import io.liteboxd.installer.local.LocalCommands;
import io.liteboxd.installer.log.InstallLog;
import io.liteboxd.installer.log.Redactor;
import io.liteboxd.installer.phase.HostPool;
import io.liteboxd.installer.phase.PhaseContext;
import io.liteboxd.installer.phase.RunMode;
import io.liteboxd.installer.remote.RemoteHosts;
import io.liteboxd.installer.state.InstallState;
import io.liteboxd.installer.state.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One invocation's setup: the validated configuration, the redacting log (every config secret
 * known to it before anything is printed), where the state lives, and the machines and local
 * commands (printing stand-ins in a dry run, so nothing is contacted).
 */
final class Session implements AutoCloseable {
  final InstallConfig config;
  final InstallLog log;
  final StateStore store;
  final Path stateDir;
  private final Wiring wiring;
  private final boolean dryRun;
  private HostPool hosts;

  private Session(InstallConfig config, InstallLog log, StateStore store, Wiring wiring, boolean dryRun) {
    this.config = config;
    this.log = log;
    this.store = store;
    this.stateDir = store.file().toAbsolutePath().getParent();
    this.wiring = wiring;
    this.dryRun = dryRun;
  }

  static Session open(InstallerCommand top, boolean clusterOnly, boolean dryRunFlag) throws ConfigException, IOException {
    InstallConfig config = new ConfigLoader(top.wiring.env()).load(top.file, clusterOnly);
    Redactor redactor = new Redactor();
    ConfigSecrets.of(config).forEach(redactor::add);
    InstallLog log = new InstallLog(redactor, top.wiring.out(), top.logFile, top.verbose);
    Path statePath = top.state != null ? top.state
        : Path.of(System.getProperty("user.home"), ".liteboxd-installer", config.cluster().name(), "state.json");
    boolean dryRun = dryRunFlag || config.runtime().dryRun();
    return new Session(config, log, new StateStore(statePath), top.wiring, dryRun);
  }

  boolean dryRun() {
    return dryRun;
  }

  Path knownHosts() {
    Path configured = config.runtime().knownHostsFile();
    return configured != null ? configured : stateDir.resolve("known_hosts");
  }

  PhaseContext context(InstallState state, RunMode mode, boolean resume) {
    RemoteHosts remote = dryRun ? new DryRunHosts(log)
        : wiring.remoteHosts().create(knownHosts(), Duration.ofSeconds(config.runtime().sshTimeoutSeconds()));
    hosts = new HostPool(remote);
    LocalCommands local = dryRun ? new DryRunLocalCommands(log) : wiring.localCommands().apply(stateDir.resolve("kubeconfig"));
    return new PhaseContext(config, log, state, dryRun ? null : store, hosts, local, stateDir, mode, dryRun, resume,
        wiring.sleeper());
  }

  @Override
  public void close() {
    if (hosts != null) hosts.close();
    log.close();
  }
}
