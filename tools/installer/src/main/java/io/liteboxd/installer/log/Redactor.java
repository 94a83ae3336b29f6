package io.liteboxd.installer.log;

import io.liteboxd.installer.config.Secret;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Masks every known secret value in text before it is printed or logged. Secrets are added as they
 * become known: the configuration's passwords at start, the k3s node token once it is read.
 */
public final class Redactor {
  public static final String MASK = "******";

  private final List<String> secrets = new CopyOnWriteArrayList<>();

  public void add(Secret secret) {
    if (secret != null) add(secret.reveal());
  }

  public void add(String value) {
    if (value == null || value.isBlank() || secrets.contains(value)) return;
    secrets.add(value);
    // Longest first, so a secret containing another one is masked whole.
    List<String> sorted = secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    secrets.clear();
    secrets.addAll(sorted);
  }

  public String redact(String text) {
    if (text == null) return "";
    String out = text;
    for (String s : secrets) out = out.replace(s, MASK);
    return out;
  }
}
