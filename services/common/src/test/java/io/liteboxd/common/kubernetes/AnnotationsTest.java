package io.liteboxd.common.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Annotations read from cached objects: absent and unparsable instants are both "none". */
class AnnotationsTest {

    @Test
    void instantsParseOrAreAbsent() {
        V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().annotations(Map.of(
                "good", "2026-01-01T00:00:05Z", "bad", "tomorrow")));
        assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:05Z")), Annotations.instant(pod, "good"));
        assertEquals(Optional.empty(), Annotations.instant(pod, "bad"));
        assertEquals(Optional.empty(), Annotations.instant(pod, "missing"));
        assertEquals(Optional.empty(), Annotations.instant(new V1Pod().metadata(new V1ObjectMeta()), "good"));
        assertNull(Annotations.get(new V1Pod(), "good"), "no metadata at all");
    }
}
