package io.liteboxd.api.exec;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.util.List;

/**
 * The {@code metav1.Status} that Kubernetes sends on the exec error channel when the command ends:
 * {@code Success}, or {@code Failure} with reason {@code NonZeroExitCode} and the code as an
 * {@code ExitCode} cause, or another failure (for example the executable was not found).
 */
final class ExecStatus {

    private ExecStatus() {}

    @Serdeable
    record Status(@Nullable String status, @Nullable String reason, @Nullable String message,
                  @Nullable Details details) {}

    @Serdeable
    record Details(@Nullable List<Cause> causes) {}

    @Serdeable
    record Cause(@Nullable String reason, @Nullable String message) {}

    static ExecExit parse(JsonMapper json, byte[] payload) {
        Status status;
        try {
            status = json.readValue(payload, Status.class);
        } catch (IOException e) {
            return ExecExit.failed("unreadable exec status");
        }
        if ("Success".equals(status.status())) {
            return ExecExit.exited(0);
        }
        if ("NonZeroExitCode".equals(status.reason()) && status.details() != null && status.details().causes() != null) {
            for (Cause cause : status.details().causes()) {
                if ("ExitCode".equals(cause.reason()) && cause.message() != null) {
                    try {
                        return ExecExit.exited(Integer.parseInt(cause.message().trim()));
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
        }
        return ExecExit.failed(status.message() == null || status.message().isBlank()
                ? "exec failed" : status.message());
    }
}
