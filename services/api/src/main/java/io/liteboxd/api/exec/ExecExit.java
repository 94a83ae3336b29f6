package io.liteboxd.api.exec;

import io.micronaut.core.annotation.Nullable;

/**
 * How a pod exec ended: the command's exit code, or {@code failure} when it could not run or the
 * stream broke before Kubernetes reported an exit code (then {@code code} is -1). {@code timedOut}
 * marks failures that are one of our deadlines (callers answer 504 for those).
 */
public record ExecExit(int code, @Nullable String failure, boolean timedOut) {

    public static final int UNKNOWN = -1;

    public static ExecExit exited(int code) {
        return new ExecExit(code, null, false);
    }

    public static ExecExit failed(String failure) {
        return new ExecExit(UNKNOWN, failure, false);
    }

    public static ExecExit timedOut(String failure) {
        return new ExecExit(UNKNOWN, failure, true);
    }

    public boolean failed() {
        return failure != null;
    }
}
