package io.liteboxd.api.sandbox;

import io.liteboxd.common.kubernetes.SandboxPodStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A sandbox row's {@code lifecycle_status} (spec §10): what Kubernetes showed last
 * ({@link SandboxPodStatus}) plus the states only the API knows (creating before the pod exists,
 * lost when the pod vanished unasked, deleted). Stored and shown as the lower-case name.
 */
public enum LifecycleStatus {
    CREATING, PENDING, RUNNING, SUCCEEDED, FAILED, STOPPED, TERMINATING, LOST, DELETED, UNKNOWN;

    /** The stored and JSON form. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean is(String stored) {
        return wire().equals(stored);
    }

    public static Optional<LifecycleStatus> of(String stored) {
        return Arrays.stream(values()).filter(s -> s.is(stored)).findFirst();
    }

    public static LifecycleStatus of(SandboxPodStatus pod) {
        return of(pod.wire()).orElse(UNKNOWN);
    }

    /** Upstream's public status (spec §10.2), the one its SDKs accept. */
    public String publicStatus() {
        return switch (this) {
            case CREATING, PENDING -> PENDING.wire();
            case RUNNING, SUCCEEDED, FAILED, STOPPED, TERMINATING -> wire();
            default -> UNKNOWN.wire();
        };
    }
}
