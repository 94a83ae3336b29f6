package io.liteboxd.installer.phase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 of values' text; records print Secrets masked, so no secret is hashed into state.json. */
public final class Fingerprint {
  private Fingerprint() {}

  public static String of(Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) sb.append(p).append('\u0000');
    return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
