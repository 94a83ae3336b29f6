package io.liteboxd.common.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge patch's body: values escaped, a null kept (it removes the annotation). */
class AnnotationPatcherTest {

    @Test
    void nullRemovesAndValuesAreEscaped() {
        Map<String, String> annotations = new HashMap<>();
        annotations.put("liteboxd.io/deletion-reason", "ttl \"expired\"");
        assertEquals("{\"metadata\":{\"annotations\":{\"liteboxd.io/deletion-reason\":\"ttl \\\"expired\\\"\"}}}",
                AnnotationPatcher.body(annotations));
        Map<String, String> removal = new HashMap<>();
        removal.put("controller.kubernetes.io/pod-deletion-cost", null);
        assertEquals("{\"metadata\":{\"annotations\":{\"controller.kubernetes.io/pod-deletion-cost\":null}}}",
                AnnotationPatcher.body(removal));
    }
}
