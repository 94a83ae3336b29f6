package io.liteboxd.api.warmup;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import io.micronaut.core.annotation.Nullable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The warm-up's own credential: a random value made in memory at start, never stored, logged or
 * sent anywhere but to this process over loopback. {@link io.liteboxd.api.auth.AuthFilter} takes
 * it only for a GET from a loopback address while the warm-up runs, and never again once it has
 * ended ({@link #revoke}), so it reads what an API key reads for a few seconds after start and
 * nothing else: no client, sandbox or other pod can reach the API's loopback interface.
 */
@Singleton
public class WarmupCredential {

    public static final String HEADER = "X-Liteboxd-Warmup";

    private final byte[] secret;
    private volatile boolean active = true;

    WarmupCredential() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.secret = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code request} is one of the warm-up's own. */
    public boolean accepts(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return accepts(request.getMethod(), request.getHeaders().get(HEADER), remote == null ? null : remote.getAddress());
    }

    /** The socket's peer, never X-Forwarded-For: a header cannot make a request loopback. */
    boolean accepts(HttpMethod method, @Nullable String presented, @Nullable InetAddress peer) {
        return active && method == HttpMethod.GET && presented != null && peer != null && peer.isLoopbackAddress()
                && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.US_ASCII));
    }

    String value() {
        return new String(secret, StandardCharsets.US_ASCII);
    }

    /** Irreversible: after this, {@link #accepts} is false for every request. */
    void revoke() {
        active = false;
    }
}
