package io.liteboxd.common.kubernetes;

import static io.liteboxd.common.kubernetes.SandboxContract.EXPIRES_AT_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.STOPPED_AT_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.STOP_REASON_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.WAKE_REQUESTED_AT_ANNOTATION;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.util.PatchUtils;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stopping and starting a persistent sandbox: one JSON merge patch of its Deployment that sets
 * {@code spec.replicas} and the contract's annotations together (docs/contract.md, Persistent
 * sandboxes), so no reader ever sees a stopped Deployment without its {@code stopped-at}, or a
 * started one whose TTL was not moved. The API (stop/start/restart) and the controller (idle
 * suspend, wake) both go through here; the patch bodies are pure and unit-tested.
 */
@Singleton
public class PersistentScale {

    /** Keeps null values: in a merge patch they delete the annotation. */
    private static final Gson JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final AppsV1Api apps;

    public PersistentScale(ApiClient client) {
        this.apps = new AppsV1Api(client);
    }

    /** Scales to 0 and records when and why. */
    public void stop(String namespace, String name, Instant now, String reason) throws ApiException {
        apply(namespace, name, stopPatch(now, reason));
    }

    /**
     * {@link #stop}, but only if the Deployment is still at {@code resourceVersion} (HTTP 409
     * otherwise): idle suspend decides on a cached copy, and an activity mark written since must
     * win over the stop it would have prevented.
     */
    public void stopIfUnchanged(String namespace, String name, String resourceVersion, Instant now, String reason)
            throws ApiException {
        apply(namespace, name, stopPatch(now, reason, resourceVersion));
    }

    /**
     * Scales to 1; the TTL was paused while stopped, so {@code expires-at} moves forward by the
     * time since {@code stopped-at}. ANNOTATIONS are the Deployment's as last seen (a cached copy
     * is fine: it is only read).
     */
    public void start(String namespace, String name, Map<String, String> annotations, Instant now) throws ApiException {
        apply(namespace, name, startPatch(annotations, now));
    }

    static String stopPatch(Instant now, String reason) {
        return stopPatch(now, reason, null);
    }

    static String stopPatch(Instant now, String reason, String resourceVersion) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(STOPPED_AT_ANNOTATION, now.toString());
        annotations.put(STOP_REASON_ANNOTATION, reason);
        annotations.put(WAKE_REQUESTED_AT_ANNOTATION, null);
        return body(0, annotations, resourceVersion);
    }

    static String startPatch(Map<String, String> current, Instant now) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(STOPPED_AT_ANNOTATION, null);
        annotations.put(STOP_REASON_ANNOTATION, null);
        annotations.put(WAKE_REQUESTED_AT_ANNOTATION, null);
        Instant expiresAt = movedExpiry(current == null ? Map.of() : current, now);
        if (expiresAt != null) {
            annotations.put(EXPIRES_AT_ANNOTATION, expiresAt.toString());
        }
        return body(1, annotations);
    }

    /** {@code expires-at} plus the time spent stopped; null when either is absent or unreadable. */
    static Instant movedExpiry(Map<String, String> annotations, Instant now) {
        Instant expires = instant(annotations.get(EXPIRES_AT_ANNOTATION));
        Instant stopped = instant(annotations.get(STOPPED_AT_ANNOTATION));
        if (expires == null || stopped == null || now.isBefore(stopped)) {
            return null;
        }
        return expires.plus(Duration.between(stopped, now));
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String body(int replicas, Map<String, String> annotations) {
        return body(replicas, annotations, null);
    }

    /** A merge patch that carries {@code metadata.resourceVersion} is refused (409) once it changed. */
    private static String body(int replicas, Map<String, String> annotations, String resourceVersion) {
        Map<String, Object> patch = new HashMap<>();
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("annotations", annotations);
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        patch.put("metadata", metadata);
        patch.put("spec", Map.of("replicas", replicas));
        return JSON.toJson(patch);
    }

    private void apply(String namespace, String name, String body) throws ApiException {
        V1Patch patch = new V1Patch(body);
        PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment(name, namespace, patch).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apps.getApiClient());
    }
}
