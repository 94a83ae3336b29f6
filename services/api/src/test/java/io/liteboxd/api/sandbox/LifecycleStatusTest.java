package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.liteboxd.common.kubernetes.SandboxPodStatus;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stored statuses, the pod statuses they come from, and upstream's public status. */
class LifecycleStatusTest {

    @Test
    void everyPodStatusHasALifecycleStatus() {
        for (SandboxPodStatus pod : SandboxPodStatus.values()) {
            assertEquals(pod.wire(), LifecycleStatus.of(pod).wire(), pod.name());
        }
    }

    @Test
    void thePublicStatusIsUpstreams() {
        Map.of("creating", "pending", "pending", "pending", "running", "running", "failed", "failed",
                        "terminating", "terminating", "lost", "unknown", "deleted", "unknown")
                .forEach((stored, shown) -> assertEquals(shown,
                        LifecycleStatus.of(stored).orElseThrow().publicStatus(), stored));
        assertEquals(Optional.empty(), LifecycleStatus.of("Running"), "stored values are lower case");
        assertNotEquals(LifecycleStatus.UNKNOWN, LifecycleStatus.of("stopped").orElseThrow());
    }
}
