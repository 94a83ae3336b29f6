package io.liteboxd.installer.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that keeps the last {@code capacity} bytes written (a command's output can be
 * endless; its end is what explains a failure) and counts what it dropped.
 */
final class TailBuffer extends OutputStream {
  private final byte[] ring;
  private long total;

  TailBuffer(int capacity) {
    ring = new byte[capacity];
  }

  @Override
  public synchronized void write(int b) {
    ring[(int) (total % ring.length)] = (byte) b;
    total++;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    if (len >= ring.length) {
      off += len - ring.length;
      total += len - ring.length;
      len = ring.length;
    }
    while (len > 0) {
      int pos = (int) (total % ring.length);
      int n = Math.min(len, ring.length - pos);
      System.arraycopy(b, off, ring, pos, n);
      off += n;
      len -= n;
      total += n;
    }
  }

  synchronized long dropped() {
    return Math.max(0, total - ring.length);
  }

  synchronized byte[] bytes() {
    if (total <= ring.length) {
      byte[] out = new byte[(int) total];
      System.arraycopy(ring, 0, out, 0, out.length);
      return out;
    }
    byte[] out = new byte[ring.length];
    int start = (int) (total % ring.length);
    System.arraycopy(ring, start, out, 0, ring.length - start);
    System.arraycopy(ring, 0, out, ring.length - start, start);
    return out;
  }

  /** The kept bytes as UTF-8, preceded by a note when the beginning was dropped. */
  @Override
  public synchronized String toString() {
    String text = new String(bytes(), StandardCharsets.UTF_8);
    long dropped = dropped();
    return dropped == 0 ? text : "[... " + dropped + " bytes dropped ...]\n" + text;
  }
}
