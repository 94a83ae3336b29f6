package io.liteboxd.installer.phase;

import io.liteboxd.installer.state.StepRecord;
import io.liteboxd.installer.state.StepStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs the phases in order and records each one. On resume, a phase DONE before with the same
 * configuration fingerprint is skipped whole; a partly done phase re-runs only its unfinished
 * steps (see {@link PhaseContext#step}).
 */
public final class PhaseRunner {
  private final List<Phase> phases;

  public PhaseRunner(List<Phase> phases) {
    this.phases = List.copyOf(phases);
  }

  /** The installer's phases in their order. */
  public static PhaseRunner standard() {
    return new PhaseRunner(List.of(
        new PreflightPhase(), new RegistriesPhase(), new K3sServerPhase(), new ClusterAccessPhase(),
        new CiliumPhase(), new AgentsPhase(), new NodesReadyPhase(), new RemoveAbsentPhase(),
        new LiteboxdPhase(), new SummaryPhase()));
  }

  public List<String> names() {
    return phases.stream().map(Phase::name).toList();
  }

  public void run(PhaseContext ctx) throws PhaseFailedException {
    if (ctx.resume()) {
      Optional<String> first = ctx.state().firstUnfinished(names());
      ctx.log().info("Resuming " + first.map(p -> "at phase " + p).orElse("(every phase is done; checking again)"));
    }
    for (Phase phase : phases) {
      String fp = phase.fingerprint(ctx.config());
      if (fp != null && ctx.mode() == RunMode.LITEBOXD_ONLY) {
        // A partial run's checks (preflight's local part only) must not pass for the full ones.
        fp = Fingerprint.of(fp, ctx.mode());
      }
      Optional<String> exclusion = excluded(ctx.mode(), phase.name());
      if (exclusion.isPresent()) {
        if (ctx.mode() == RunMode.CLUSTER_ONLY) {
          ctx.log().info("== " + phase.name() + ": skipped (" + exclusion.get() + ")");
          ctx.record(phase.name(), null, StepStatus.SKIPPED, exclusion.get(), null);
        }
        continue;
      }
      if (ctx.resume() && fp != null) {
        Optional<StepRecord> prior = ctx.state().get(phase.name(), null);
        if (prior.isPresent() && prior.get().status().finished() && fp.equals(prior.get().fingerprint())) {
          ctx.log().info("== " + phase.name() + ": " + prior.get().status() + " in an earlier run");
          continue;
        }
      }
      ctx.log().info("== " + phase.name());
      ctx.record(phase.name(), null, StepStatus.RUNNING, "", fp);
      long started = System.nanoTime();
      try {
        StepOutcome outcome = phase.run(ctx);
        ctx.record(phase.name(), null, outcome.status(), outcome.message(), fp);
        // The phase's time is part of its line: what an operator (and bench/installer.md) reads.
        ctx.log().info("   " + phase.name() + ": " + outcome.status() + " - " + outcome.message()
            + String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - started) / 1e9));
      } catch (PhaseFailedException e) {
        ctx.record(phase.name(), null, StepStatus.FAILED, e.getMessage(), fp);
        throw e;
      } catch (RuntimeException e) {
        ctx.record(phase.name(), null, StepStatus.FAILED, String.valueOf(e.getMessage()), fp);
        throw new PhaseFailedException(phase.name(), null, "internal error: " + e);
      }
    }
  }

  /** Why a phase is not part of this mode's run, if it is not. */
  static Optional<String> excluded(RunMode mode, String phase) {
    return switch (mode) {
      case FULL -> Optional.empty();
      case CLUSTER_ONLY -> phase.equals(LiteboxdPhase.NAME) ? Optional.of("--cluster-only") : Optional.empty();
      case LITEBOXD_ONLY -> List.of(PreflightPhase.NAME, LiteboxdPhase.NAME, SummaryPhase.NAME).contains(phase)
          ? Optional.empty() : Optional.of("--liteboxd-only");
    };
  }
}
