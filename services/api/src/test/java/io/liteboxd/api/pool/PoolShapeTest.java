package io.liteboxd.api.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolShapeTest {

    private static V1Pod sandbox(String id, String token, String ttl, String env) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", "liteboxd");
        labels.put("sandbox-id", id);
        labels.put("liteboxd.io/managed-by", "liteboxd-server");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("liteboxd.io/access-token-sha256", token);
        annotations.put("liteboxd.io/template", "web");
        annotations.put("liteboxd.io/template-version", "3");
        annotations.put("liteboxd/ttl", ttl);
        annotations.put("liteboxd.io/expires-at", "2026-11-30T13:00:00Z");
        return new V1Pod().metadata(new V1ObjectMeta().name("sandbox-" + id).labels(labels).annotations(annotations))
                .spec(new V1PodSpec().containers(List.of(new V1Container().name("main").image("python:3")
                        .env(List.of(new V1EnvVar().name("MODE").value(env))))));
    }

    @Test
    void twoSandboxesOfOneTemplateHaveOneHashWhateverTheirIdentityAndTtl() {
        assertEquals(PoolShape.hash(sandbox("aaaa0001", "t1", "300", "a")), PoolShape.hash(sandbox("bbbb0002", "t2", "60", "a")));
        assertEquals(16, PoolShape.hash(sandbox("aaaa0001", "t1", "300", "a")).length());
    }

    @Test
    void anOverrideThatChangesThePodChangesTheHash() {
        assertNotEquals(PoolShape.hash(sandbox("aaaa0001", "t", "300", "a")), PoolShape.hash(sandbox("aaaa0001", "t", "300", "b")));
        V1Pod otherVersion = sandbox("aaaa0001", "t", "300", "a");
        otherVersion.getMetadata().getAnnotations().put("liteboxd.io/template-version", "4");
        assertNotEquals(PoolShape.hash(sandbox("aaaa0001", "t", "300", "a")), PoolShape.hash(otherVersion));
    }

    @Test
    void aPoolPodHasNoIdentity() {
        var pool = PoolShape.poolPod("web", sandbox("aaaa0001", "secret-hash", "300", "a"));
        Map<String, String> labels = pool.getMetadata().getLabels();
        assertEquals("web", labels.get("liteboxd.io/pool"));
        assertEquals(PoolShape.hash(sandbox("x", "y", "1", "a")), labels.get("liteboxd.io/pool-hash"));
        assertEquals("liteboxd", labels.get("app"), "fenced by the sandbox NetworkPolicies");
        assertFalse(labels.containsKey("sandbox-id"));
        assertEquals(Map.of("liteboxd.io/template", "web", "liteboxd.io/template-version", "3"),
                pool.getMetadata().getAnnotations(), "no token hash, TTL or expiry");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClaimTestsPoolMembershipFirstThenWritesTheIdentity() {
        V1Pod pod = sandbox("aaaa0001", "tokenhash", "300", "a");
        List<Map<String, Object>> ops = new Gson().fromJson(
                PoolShape.claimPatch("web", "0123456789abcdef", pod, "2026-11-30T12:00:00Z"), List.class);
        assertEquals(Map.of("op", "test", "path", "/metadata/labels/liteboxd.io~1pool", "value", "web"), ops.get(0));
        assertEquals(Map.of("op", "test", "path", "/metadata/labels/liteboxd.io~1pool-hash", "value", "0123456789abcdef"),
                ops.get(1));
        assertEquals(Map.of("op", "remove", "path", "/metadata/labels/liteboxd.io~1pool"), ops.get(2));
        assertTrue(ops.contains(Map.of("op", "add", "path", "/metadata/labels/sandbox-id", "value", "aaaa0001")));
        assertTrue(ops.contains(Map.of("op", "add", "path", "/metadata/annotations/liteboxd.io~1access-token-sha256",
                "value", "tokenhash")));
        assertTrue(ops.contains(Map.of("op", "add", "path", "/metadata/annotations/liteboxd.io~1expires-at",
                "value", "2026-11-30T13:00:00Z")));
        assertTrue(ops.contains(Map.of("op", "add", "path", "/metadata/annotations/liteboxd.io~1claimed-from", "value", "web")));
        assertEquals("a~0b~1c", PoolShape.pointer("a~b/c"));
    }
}
