package io.liteboxd.gateway.proxy;

import static io.liteboxd.common.kubernetes.SandboxContract.STARTUP_FAILED_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.TOKEN_SHA256_ANNOTATION;

import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.gateway.sandbox.SandboxPodCache;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a request may reach a sandbox, from the pod cache alone: the token's SHA-256
 * must equal the pod's {@code liteboxd.io/access-token-sha256} (compared in constant time), and
 * the pod must be running with an IP. The answers are upstream's: 401 missing or invalid token,
 * 404 for a sandbox that is unknown, being deleted or not running.
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class AccessCheck {

    /** Where an admitted request goes. */
    public record Target(String sandboxId, String podIp, int port) {}

    private final SandboxPodCache pods;

    AccessCheck(SandboxPodCache pods) {
        this.pods = pods;
    }

    public Target admit(SandboxAddress address, @Nullable String token) {
        return admit(address, token == null ? List.of() : List.of(token));
    }

    /** Admits when any of the presented tokens matches (several only for cookies, see PresentedToken). */
    public Target admit(SandboxAddress address, List<String> tokens) {
        if (tokens.isEmpty() || tokens.stream().allMatch(String::isEmpty)) {
            throw new GatewayError(HttpStatus.UNAUTHORIZED, "missing access token");
        }
        V1Pod pod = pods.pod(address.sandboxId())
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .orElseThrow(AccessCheck::notFound);
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String expected = annotations == null ? null : annotations.get(TOKEN_SHA256_ANNOTATION);
        if (expected == null || tokens.stream().noneMatch(token -> matches(expected, token))) {
            throw new GatewayError(HttpStatus.UNAUTHORIZED, "invalid access token");
        }
        var status = pod.getStatus();
        if (status == null || !"Running".equals(status.getPhase()) || status.getPodIP() == null
                || status.getPodIP().isEmpty() || annotations.containsKey(STARTUP_FAILED_ANNOTATION)) {
            throw notFound();
        }
        return new Target(address.sandboxId(), status.getPodIP(), address.port());
    }

    /** Constant time in the token: both sides are 32-byte digests compared with isEqual. */
    static boolean matches(String expectedHex, String token) {
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(expectedHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            byte[] presented = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, presented);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GatewayError notFound() {
        return new GatewayError(HttpStatus.NOT_FOUND, "sandbox not found");
    }
}
