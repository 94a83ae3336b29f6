package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.LiteboxdConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Installs or upgrades the LiteBoxd Helm release with the values files of configDir. */
public final class LiteboxdPhase implements Phase {
  public static final String NAME = "liteboxd";

  @Override
  public String name() {
    return NAME;
  }

  /** The configuration and the content of every values file: editing one re-runs the release. */
  @Override
  public String fingerprint(InstallConfig config) {
    LiteboxdConfig l = config.liteboxd();
    List<Object> parts = new ArrayList<>(List.of(l));
    try {
      if (l.configDir() != null && Files.isDirectory(l.configDir())) {
        for (Path f : Helm.valuesFiles(l.configDir())) parts.add(Fingerprint.sha256(Files.readAllBytes(f)));
      }
    } catch (IOException e) {
      return null;
    }
    return Fingerprint.of(parts.toArray());
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    LiteboxdConfig l = ctx.config().liteboxd();
    if (l.chart() == null || l.configDir() == null) {
      throw new PhaseFailedException(NAME, null, "liteboxd.chart and liteboxd.configDir are required");
    }
    try {
      List<Path> files = Helm.valuesFiles(l.configDir());
      ctx.localOk(Helm.liteboxd(l, files));
      return StepOutcome.done("release " + l.release() + " in " + l.namespaceSystem() + " (" + files.size()
          + " values files)");
    } catch (IOException e) {
      throw new PhaseFailedException(NAME, "local", "cannot list " + l.configDir() + ": " + e.getMessage());
    } catch (StepFailure e) {
      throw new PhaseFailedException(NAME, "local", ctx.log().redactor().redact(e.getMessage()));
    }
  }
}
