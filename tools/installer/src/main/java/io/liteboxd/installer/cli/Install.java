package io.liteboxd.installer.cli;

import io.liteboxd.installer.phase.Fingerprint;
import io.liteboxd.installer.phase.PhaseContext;
import io.liteboxd.installer.phase.PhaseFailedException;
import io.liteboxd.installer.phase.PhaseRunner;
import io.liteboxd.installer.phase.RunMode;
import io.liteboxd.installer.state.InstallState;
import java.util.Optional;

/** What apply and resume share: set up, load or start the state, run the phases. */
final class Install {
  private Install() {}

  static int run(InstallerCommand top, RunMode mode, boolean dryRunFlag, boolean resume) {
    return Runs.guarded(top.wiring.out(), () -> {
      try (Session s = Session.open(top, mode == RunMode.CLUSTER_ONLY, dryRunFlag)) {
        String fingerprint = Fingerprint.of(s.config);
        Optional<InstallState> prior = s.store.load();
        if (resume && prior.isEmpty()) {
          s.log.error("no state file at " + s.store.file() + ": nothing to resume (run apply)");
          return Runs.USAGE;
        }
        InstallState state = prior.orElseGet(() -> new InstallState(s.config.cluster().name(), fingerprint));
        if (resume && !fingerprint.equals(state.configFingerprint())) {
          s.log.info("The configuration changed since the last run: steps whose inputs changed run again.");
        }
        state.setConfigFingerprint(fingerprint);
        if (s.dryRun()) s.log.info("Dry run: nothing is contacted, changed or recorded.");
        PhaseContext ctx = s.context(state, mode, resume);
        try {
          PhaseRunner.standard().run(ctx);
        } catch (PhaseFailedException e) {
          s.log.error(e.getMessage());
          if (!s.dryRun()) s.log.info("State: " + s.store.file() + " (liteboxd-installer resume continues from here)");
          return Runs.FAILED;
        }
        s.log.info(s.dryRun() ? "Dry run complete." : "Done. State: " + s.store.file());
        return Runs.OK;
      }
    });
  }
}
