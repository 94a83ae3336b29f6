package io.liteboxd.api.sandbox;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** Sandbox rows written straight to the database, for states the API alone would not produce. */
final class SandboxRows {

    private SandboxRows() {}

    /** What a test varies; everything else gets a plausible fixed value. */
    record Shape(String id, String template, String namespace, String desired, String lifecycle,
                 Instant createdAt, @Nullable Instant deletedAt, String deletionPhase, String volumeClaim,
                 String reclaimPolicy) {

        static Shape of(String id, String desired, String lifecycle, Instant createdAt) {
            return new Shape(id, "tpl", "ns", desired, lifecycle, createdAt, null, "", "", "");
        }

        Shape in(String ns) {
            return new Shape(id, template, ns, desired, lifecycle, createdAt, deletedAt, deletionPhase, volumeClaim,
                    reclaimPolicy);
        }

        Shape claim(String name, String policy) {
            return new Shape(id, template, namespace, desired, lifecycle, createdAt, deletedAt, deletionPhase, name,
                    policy);
        }

        Sandbox row() {
            return new Sandbox(id, template, 1, "img", "500m", "512Mi", 60, "{}", desired, lifecycle, "",
                    namespace, "sandbox-" + id, "", "", "", null, "c2VhbGVk", "bm9uY2U=", "v1", "hash",
                    "http://gw/" + id, createdAt, createdAt.plusSeconds(60), createdAt, deletedAt,
                    !volumeClaim.isEmpty(), "", "", "", volumeClaim, reclaimPolicy, "pod", "sandbox-" + id, null,
                    deletionPhase, null, null, null, 0, 0, "");
        }
    }
}
