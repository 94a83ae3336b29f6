package io.liteboxd.api.pool;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pure part of warm pools (docs/contract.md, Warm pools): a sandbox pod without its identity,
 * the hash that says whether a pool pod is exactly the pod a create would make, and the JSON
 * Patch that claims a pool pod. A pool pod matches a create when both have the same hash: same
 * template version, overrides, caps, runtime and hardening; TTL and identity are annotations and
 * labels the claim writes.
 */
public final class PoolShape {

    /** The annotations a pool pod keeps; every other sandbox annotation is the claim's to write. */
    private static final List<String> KEPT_ANNOTATIONS = List.of(TEMPLATE_ANNOTATION, TEMPLATE_VERSION_ANNOTATION);
    private static final Gson PATCH_JSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final JSON KUBERNETES_JSON = new JSON();

    private PoolShape() {}

    /** The labels and annotations of {@code pod} a pool pod has too (no sandbox id, token, TTL, times). */
    static V1ObjectMeta identityFree(V1ObjectMeta meta) {
        Map<String, String> labels = new TreeMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.remove(SANDBOX_ID_LABEL);
        Map<String, String> annotations = new TreeMap<>();
        Map<String, String> all = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        for (String name : KEPT_ANNOTATIONS) {
            if (all.containsKey(name)) {
                annotations.put(name, all.get(name));
            }
        }
        return new V1ObjectMeta().labels(labels).annotations(annotations);
    }

    /** 16 hex characters of SHA-256 over the identity-free labels, annotations and the whole spec. */
    public static String hash(V1Pod pod) {
        V1ObjectMeta free = identityFree(pod.getMetadata());
        String text = KUBERNETES_JSON.serialize(free.getLabels()) + "\n" + KUBERNETES_JSON.serialize(free.getAnnotations())
                + "\n" + KUBERNETES_JSON.serialize(pod.getSpec());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PodTemplate's {@code .template}: {@code pod} without identity, labelled as a pool pod. */
    static V1PodTemplateSpec poolPod(String template, V1Pod pod) {
        String hash = hash(pod);
        V1ObjectMeta meta = identityFree(pod.getMetadata());
        meta.putLabelsItem(POOL_LABEL, template);
        meta.putLabelsItem(POOL_HASH, hash);
        return new V1PodTemplateSpec().metadata(meta).spec(pod.getSpec());
    }

    /**
     * The claim: tests that the pod is still in {@code template}'s pool with {@code hash}, so the
     * API server applies it to one caller only, then takes it out of the pool and gives it the
     * identity of {@code pod} (the sandbox's own pod, as a cold create would make it).
     */
    static String claimPatch(String template, String hash, V1Pod pod, String claimedAt) {
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(op("test", "/metadata/labels/" + pointer(POOL_LABEL), template));
        ops.add(op("test", "/metadata/labels/" + pointer(POOL_HASH), hash));
        ops.add(op("remove", "/metadata/labels/" + pointer(POOL_LABEL), null));
        ops.add(op("remove", "/metadata/labels/" + pointer(POOL_HASH), null));
        ops.add(op("add", "/metadata/labels/" + pointer(SANDBOX_ID_LABEL), pod.getMetadata().getLabels().get(SANDBOX_ID_LABEL)));
        Map<String, String> annotations = new TreeMap<>(pod.getMetadata().getAnnotations());
        annotations.put(CLAIMED_FROM_ANNOTATION, template);
        annotations.put(CLAIMED_AT_ANNOTATION, claimedAt);
        annotations.forEach((name, value) -> ops.add(op("add", "/metadata/annotations/" + pointer(name), value)));
        return PATCH_JSON.toJson(ops);
    }

    private static Map<String, Object> op(String op, String path, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("op", op);
        map.put("path", path);
        if (value != null) {
            map.put("value", value);
        }
        return map;
    }

    /** RFC 6901: "~" is "~0" and "/" is "~1" in a JSON Pointer segment. */
    static String pointer(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
