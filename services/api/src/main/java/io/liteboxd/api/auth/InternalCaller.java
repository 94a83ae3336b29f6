package io.liteboxd.api.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The controller's credential for the API's internal routes ({@code /internal/v1/**}, which the
 * Ingress does not route): {@code LITEBOXD_INTERNAL_TOKEN}, a random value the chart keeps in its
 * own Secret and mounts into the API and the controller only. Unset, the internal routes refuse
 * everyone. Compared in constant time; never logged.
 */
@Singleton
public class InternalCaller {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    InternalCaller(@Value("${liteboxd.internal.token:}") String token) {
        this.token = token == null ? new byte[0] : token.trim().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code authorization} is {@code Bearer <the internal token>}. */
    public boolean accepts(@Nullable String authorization) {
        if (token.length == 0 || authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, presented);
    }
}
