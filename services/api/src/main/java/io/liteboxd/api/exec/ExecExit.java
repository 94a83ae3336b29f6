package io.liteboxd.api.exec;

import io.micronaut.core.annotation.Nullable;

/**
 * How a pod exec ended: the command's exit code, or {@code failure} when it could not run or the
 * stream broke before Kubernetes reported an exit code (then {@code code} is -1).
 */
public record ExecExit(int code, @Nullable String failure) {

    public static final int UNKNOWN = -1;

    public static ExecExit exited(int code) {
        return new ExecExit(code, null);
    }

    public static ExecExit failed(String failure) {
        return new ExecExit(UNKNOWN, failure);
    }

    public boolean failed() {
        return failure != null;
    }
}
