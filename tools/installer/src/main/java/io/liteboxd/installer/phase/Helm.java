package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.CiliumConfig;
import io.liteboxd.installer.config.LiteboxdConfig;
import io.liteboxd.installer.local.LocalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The helm command lines of the Cilium and LiteBoxd releases. */
final class Helm {
  private Helm() {}

  static LocalCommand cilium(CiliumConfig c, Path generatedValues, Duration timeout) {
    List<String> argv = new ArrayList<>(List.of("helm", "upgrade", "--install", "cilium", c.chart().toString(),
        "--namespace", c.namespace()));
    if (!c.version().isEmpty()) argv.addAll(List.of("--version", c.version()));
    for (Path f : c.valuesFiles()) argv.addAll(List.of("-f", f.toString()));
    // Last, so the API address the installer knows wins over the files; inline values are in it.
    argv.addAll(List.of("-f", generatedValues.toString()));
    argv.addAll(List.of("--wait", "--timeout", timeout.toSeconds() + "s"));
    return new LocalCommand("helm upgrade --install cilium", argv, timeout.plusSeconds(60));
  }

  /**
   * The LiteBoxd release: the values files of configDir in name order (later wins), then the
   * namespaces and images of install.yaml as --set-string (so a tag like 1.10 stays a string).
   * The chart's keys: image.registry, image.tag, sandboxNamespace.name; the system namespace is the
   * release namespace.
   */
  static LocalCommand liteboxd(LiteboxdConfig c, List<Path> valuesFiles) {
    Duration timeout = Duration.ofSeconds(c.timeoutSeconds());
    List<String> argv = new ArrayList<>(List.of("helm", "upgrade", "--install", c.release(), c.chart().toString(),
        "--namespace", c.namespaceSystem(), "--create-namespace"));
    for (Path f : valuesFiles) argv.addAll(List.of("-f", f.toString()));
    argv.addAll(List.of("--set-string", "sandboxNamespace.name=" + c.namespaceSandbox()));
    if (c.imageRegistry() != null) argv.addAll(List.of("--set-string", "image.registry=" + c.imageRegistry()));
    if (c.imageTag() != null) argv.addAll(List.of("--set-string", "image.tag=" + c.imageTag()));
    argv.addAll(List.of("--wait", "--timeout", timeout.toSeconds() + "s"));
    return new LocalCommand("helm upgrade --install " + c.release(), argv, timeout.plusSeconds(60));
  }

  /** *.yaml and *.yml of a directory, sorted by name. */
  static List<Path> valuesFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
  }
}
