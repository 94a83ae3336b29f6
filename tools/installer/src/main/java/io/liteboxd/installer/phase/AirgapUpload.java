package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.NodeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts the local air-gap bundle on a machine: install.sh into the bundle directory, the k3s binary
 * into /usr/local/bin and the image archives where k3s imports them at start. A file already there
 * with the same sha256 is not sent again.
 *
 * <p>RemoteHost.upload takes the content in memory, and an image archive can be hundreds of MB:
 * one file is held at a time across all parallel agents (uploads are bound by the network anyway),
 * and checksums are computed by streaming, once per file.
 */
final class AirgapUpload {
  private static final ReentrantLock ONE_FILE_IN_MEMORY = new ReentrantLock();
  /** By path, size and modification time, so an edited bundle is hashed again. */
  private static final Map<String, String> SHAS = new ConcurrentHashMap<>();

  private record BundleFile(Path local, String remote, String mode) {}

  private AirgapUpload() {}

  static String upload(PhaseContext ctx, NodeConfig node, Path bundle) throws StepFailure {
    List<BundleFile> files = files(bundle);
    int sent = 0;
    for (BundleFile f : files) {
      String sha = sha256(f.local());
      String remoteSha = ctx.remote(node, "sha256 of " + f.remote(),
          "if [ -f " + f.remote() + " ]; then sha256sum " + f.remote() + " | cut -d' ' -f1; fi\n", true).stdout().strip();
      if (sha.equals(remoteSha)) continue;
      ONE_FILE_IN_MEMORY.lock();
      try {
        ctx.upload(node, Files.readAllBytes(f.local()), f.remote(), f.mode(), true);
      } catch (IOException e) {
        throw new StepFailure("cannot read " + f.local() + ": " + e.getMessage(), e);
      } finally {
        ONE_FILE_IN_MEMORY.unlock();
      }
      sent++;
    }
    return sent + " of " + files.size() + " bundle files sent";
  }

  private static List<BundleFile> files(Path bundle) throws StepFailure {
    List<BundleFile> files = new ArrayList<>();
    files.add(new BundleFile(bundle.resolve("install.sh"), K3sScripts.BUNDLE_DIR + "/install.sh", "0755"));
    files.add(new BundleFile(bundle.resolve("k3s"), "/usr/local/bin/k3s", "0755"));
    try (DirectoryStream<Path> images = Files.newDirectoryStream(bundle, "k3s-airgap-images-*.tar*")) {
      List<Path> sorted = new ArrayList<>();
      images.forEach(sorted::add);
      sorted.sort(null);
      for (Path p : sorted) {
        files.add(new BundleFile(p, "/var/lib/rancher/k3s/agent/images/" + p.getFileName(), "0644"));
      }
    } catch (IOException e) {
      throw new StepFailure("cannot list " + bundle + ": " + e.getMessage(), e);
    }
    return files;
  }

  private static String sha256(Path file) throws StepFailure {
    String key;
    try {
      key = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new StepFailure("cannot read " + file + ": " + e.getMessage(), e);
    }
    String known = SHAS.get(key);
    if (known != null) return known;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      String sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
      SHAS.put(key, sha);
      return sha;
    } catch (IOException e) {
      throw new StepFailure("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
