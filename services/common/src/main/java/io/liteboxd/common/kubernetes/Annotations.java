package io.liteboxd.common.kubernetes;

import io.kubernetes.client.common.KubernetesObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Reading the contract's annotations (docs/contract.md) from cached objects. An instant that does
 * not parse counts as absent: a hand-edited annotation must not stop a reconciler.
 */
public final class Annotations {

    private Annotations() {}

    /** The annotation's value, or null. */
    public static String get(KubernetesObject object, String name) {
        Map<String, String> annotations = object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(name);
    }

    /** An RFC 3339 instant, if the annotation is there and parses. */
    public static Optional<Instant> instant(KubernetesObject object, String name) {
        String value = get(object, name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
