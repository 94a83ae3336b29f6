package io.liteboxd.api.exec;

import io.micronaut.core.annotation.Nullable;

/**
 * Commands LiteBoxd runs for itself start with {@code echo $$ >&2}: the first stderr line is
 * the pid, which is what {@link PodExec#killTree} needs when the command must be stopped
 * (closing the exec stream does not stop it). This splits that line off the stderr stream.
 */
public final class PidLine {

    /** Prefix for a {@code sh -c} script: report the pid, then run the rest. */
    public static final String REPORT = "echo $$ >&2\n";

    private final StringBuilder line = new StringBuilder();
    private volatile String pid;

    /** Returns what of {@code data} is real stderr (after the pid line); empty while the line is incomplete. */
    public byte[] strip(byte[] data) {
        if (pid != null) {
            return data;
        }
        int i = 0;
        while (i < data.length && data[i] != '\n') {
            line.append((char) data[i++]);
        }
        if (i == data.length) {
            return new byte[0];
        }
        pid = line.toString().trim();
        return java.util.Arrays.copyOfRange(data, i + 1, data.length);
    }

    /** The pid, once the command reported it. */
    @Nullable
    public String pid() {
        return pid;
    }
}
