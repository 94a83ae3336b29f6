package io.liteboxd.gateway.proxy;

import static io.liteboxd.common.kubernetes.SandboxContract.STARTUP_FAILED_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.TOKEN_SHA256_ANNOTATION;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.gateway.sandbox.SandboxDeploymentCache;
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
import java.util.Optional;

/**
 * Decides whether a request may reach a sandbox, from the caches alone: the token's SHA-256 must
 * equal the {@code liteboxd.io/access-token-sha256} of the pod, or of a persistent sandbox's
 * Deployment when it has no pod (compared in constant time), and the pod must be running with an
 * IP. The answers are upstream's: 401 missing or invalid token, 404 for a sandbox that is unknown,
 * being deleted or not running. A persistent sandbox without a Ready pod (stopped, starting) is
 * not refused: the request is to wait for it ({@link Admission.Await}).
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class AccessCheck {

    /** What an admitted request does next. */
    public sealed interface Admission {

        String sandboxId();

        int port();

        /** Wait until a Ready pod of this persistent sandbox is in the cache, then go there. */
        record Await(String sandboxId, int port) implements Admission {}
    }

    /** Where an admitted request goes. */
    public record Target(String sandboxId, String podIp, int port) implements Admission {}

    private final SandboxPodCache pods;
    private final SandboxDeploymentCache deployments;

    AccessCheck(SandboxPodCache pods, SandboxDeploymentCache deployments) {
        this.pods = pods;
        this.deployments = deployments;
    }

    public Admission admit(SandboxAddress address, @Nullable String token) {
        return admit(address, token == null ? List.of() : List.of(token));
    }

    /** Admits when any of the presented tokens matches (several only for cookies, see PresentedToken). */
    public Admission admit(SandboxAddress address, List<String> tokens) {
        if (tokens.isEmpty() || tokens.stream().allMatch(String::isEmpty)) {
            throw new GatewayError(HttpStatus.UNAUTHORIZED, "missing access token");
        }
        String id = address.sandboxId();
        Optional<V1Pod> pod = pods.pod(id).filter(p -> p.getMetadata().getDeletionTimestamp() == null);
        Optional<V1Deployment> deployment = deployments.persistent(id);
        if (deployment.isPresent() && deployment.get().getMetadata().getDeletionTimestamp() != null
                || pod.isEmpty() && deployment.isEmpty()) {
            throw notFound();
        }
        // The pod's hash when there is one (an ephemeral sandbox has nothing else); a stopped
        // persistent sandbox has only its Deployment's.
        KubernetesObject holder = pod.isPresent() ? pod.get() : deployment.get();
        checkToken(holder, tokens);
        if (pod.isPresent() && Annotations.get(pod.get(), STARTUP_FAILED_ANNOTATION) != null) {
            throw notFound();
        }
        if (deployment.isPresent() || pod.filter(PersistentDeployment::isPersistent).isPresent()) {
            return pod.filter(SandboxPodCache::usable)
                    .<Admission>map(p -> new Target(id, p.getStatus().getPodIP(), address.port()))
                    .orElseGet(() -> new Admission.Await(id, address.port()));
        }
        var status = pod.get().getStatus();
        if (status == null || !"Running".equals(status.getPhase()) || status.getPodIP() == null
                || status.getPodIP().isEmpty()) {
            throw notFound();
        }
        return new Target(id, status.getPodIP(), address.port());
    }

    private static void checkToken(KubernetesObject holder, List<String> tokens) {
        String expected = Annotations.get(holder, TOKEN_SHA256_ANNOTATION);
        if (expected == null || tokens.stream().noneMatch(token -> matches(expected, token))) {
            throw new GatewayError(HttpStatus.UNAUTHORIZED, "invalid access token");
        }
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

    static GatewayError notFound() {
        return new GatewayError(HttpStatus.NOT_FOUND, "sandbox not found");
    }
}
