package io.liteboxd.api.sandbox;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** Sandbox rows written straight to the database, for states the API alone would not produce. */
public final class SandboxRows {

    private SandboxRows() {}

    /** What a test varies; everything else gets a plausible fixed value. */
    public record Shape(String id, String template, String namespace, String desired, String lifecycle,
                 Instant createdAt, @Nullable Instant deletedAt, String deletionPhase, String volumeClaim,
                 String reclaimPolicy) {

        public static Shape of(String id, String desired, String lifecycle, Instant createdAt) {
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

        public Sandbox row() {
            return Sandbox.builder().id(id).template(template, 1).image("img").resources("500m", "512Mi").ttl(60)
                    .state(desired, LifecycleStatus.of(lifecycle).orElseThrow()).pod(namespace, "sandbox-" + id)
                    .token("c2VhbGVk", "bm9uY2U=", "v1", "hash").accessUrl("http://gw/" + id)
                    .times(createdAt, createdAt.plusSeconds(60)).deleted(deletedAt, deletionPhase)
                    .volume(volumeClaim, reclaimPolicy).build();
        }
    }
}
