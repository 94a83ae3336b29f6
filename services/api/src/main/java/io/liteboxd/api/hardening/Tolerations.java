package io.liteboxd.api.hardening;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Toleration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code SANDBOX_TOLERATIONS}: a JSON array of Kubernetes tolerations, as in a pod spec. Checked
 * here with the API server's own rules, so a typo stops the API at start instead of failing
 * every sandbox create.
 */
final class Tolerations {

    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private Tolerations() {}

    /** The tolerations; blank text is none. */
    static List<V1Toleration> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<V1Toleration> tolerations;
        try {
            refuseUnknownFields(text);
            tolerations = new JSON().deserialize(text, TypeToken.getParameterized(List.class, V1Toleration.class).getType());
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("not a JSON array of tolerations: " + e.getMessage());
        }
        if (tolerations == null) {
            throw new IllegalArgumentException("not a JSON array of tolerations: " + text);
        }
        for (V1Toleration toleration : tolerations) {
            check(Objects.requireNonNull(toleration, "a toleration is null"));
        }
        return List.copyOf(tolerations);
    }

    private static final Set<String> FIELDS = Set.of("key", "operator", "value", "effect", "tolerationSeconds");

    /**
     * A misspelt field ({@code "efect"}) would otherwise be dropped silently: the generated model
     * only refuses unknown fields while client-java's strict validation is on, and the services
     * turn it off (TolerantModelJson) to read objects from newer clusters.
     */
    private static void refuseUnknownFields(String text) {
        JsonElement parsed = JsonParser.parseString(text);
        if (!parsed.isJsonArray()) {
            throw new IllegalArgumentException("not a JSON array");
        }
        for (JsonElement element : parsed.getAsJsonArray()) {
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException("a toleration is not a JSON object: " + element);
            }
            for (String field : element.getAsJsonObject().keySet()) {
                if (!FIELDS.contains(field)) {
                    throw new IllegalArgumentException("unknown toleration field " + field + " (known: " + FIELDS + ")");
                }
            }
        }
    }

    private static void check(V1Toleration t) {
        String operator = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
        String key = t.getKey() == null ? "" : t.getKey();
        String value = t.getValue() == null ? "" : t.getValue();
        String effect = t.getEffect() == null ? "" : t.getEffect();
        if (!operator.equals("Equal") && !operator.equals("Exists")) {
            throw new IllegalArgumentException("toleration " + key + ": operator must be Equal or Exists, not " + operator);
        }
        if (key.isEmpty() && !operator.equals("Exists")) {
            throw new IllegalArgumentException("a toleration without a key must have operator Exists");
        }
        if (!key.isEmpty()) {
            NodeSelector.parse(key + "=");  // the label key rules
        }
        if (operator.equals("Exists") && !value.isEmpty()) {
            throw new IllegalArgumentException("toleration " + key + ": operator Exists takes no value");
        }
        if (!effect.isEmpty() && !EFFECTS.contains(effect)) {
            throw new IllegalArgumentException("toleration " + key + ": effect must be one of " + EFFECTS + ", not " + effect);
        }
        if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
            throw new IllegalArgumentException("toleration " + key + ": tolerationSeconds needs effect NoExecute");
        }
    }
}
