package io.liteboxd.installer.local;

import io.liteboxd.installer.remote.CommandResult;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@link LocalCommands} with ProcessBuilder: output read on two threads, killed past its timeout. */
public final class ProcessLocalCommands implements LocalCommands {
  private final Path kubeconfig;

  public ProcessLocalCommands(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  @Override
  public CommandResult run(LocalCommand command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    if (kubeconfig != null) pb.environment().put("KUBECONFIG", kubeconfig.toString());
    long start = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try {
      if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.description() + ": timed out after " + command.timeout().toSeconds() + " s");
      }
      return new CommandResult(p.exitValue(), out.get(), err.get(), Duration.ofNanos(System.nanoTime() - start));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(command.description() + ": interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(command.description() + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
    }
    return false;
  }
}
