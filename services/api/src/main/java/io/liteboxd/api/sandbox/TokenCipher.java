package io.liteboxd.api.sandbox;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sandbox access tokens at rest: AES-GCM with a random 12-byte nonce and no associated data,
 * ciphertext (with tag) and nonce as standard base64, exactly as upstream, so existing rows
 * decrypt. The key ({@code SANDBOX_TOKEN_ENCRYPTION_KEY}) is read as base64, else hex, else raw
 * bytes, and must be 16, 24 or 32 bytes long.
 */
@Context  // a missing or malformed key stops the API at start-up, as upstream, not at first use
@Requires(beans = SandboxSettings.class)
public class TokenCipher {

    /** Ciphertext and nonce, both standard base64, and the id of the key that sealed them. */
    public record Sealed(String ciphertext, String nonce, String keyId) {}

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    TokenCipher(@Nullable @Value("${sandbox.token.encryption.key:}") String key,
                @Value("${sandbox.token.encryption.key.id:v1}") String keyId) {
        this.key = new SecretKeySpec(parseKey(key), "AES");
        this.keyId = keyId;
    }

    /** Upstream's order: base64, then hex, then the raw bytes of the text. */
    private static final List<Function<String, byte[]>> KEY_ENCODINGS = List.of(
            text -> Base64.getDecoder().decode(text),
            text -> HexFormat.of().parseHex(text),
            text -> text.getBytes(StandardCharsets.UTF_8));

    static byte[] parseKey(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalStateException("SANDBOX_TOKEN_ENCRYPTION_KEY is required");
        }
        for (Function<String, byte[]> encoding : KEY_ENCODINGS) {
            try {
                byte[] bytes = encoding.apply(text);
                if (bytes.length == 16 || bytes.length == 24 || bytes.length == 32) {
                    return bytes;
                }
            } catch (IllegalArgumentException notThisEncoding) {
                // try the next one
            }
        }
        throw new IllegalStateException("SANDBOX_TOKEN_ENCRYPTION_KEY must be 16, 24 or 32 bytes (base64, hex or raw)");
    }

    public Sealed seal(String token) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            return new Sealed(Base64.getEncoder().encodeToString(sealed), Base64.getEncoder().encodeToString(nonce), keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the access token", e);
        }
    }

    public String open(String ciphertext, String nonce) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(nonce)));
            return new String(cipher.doFinal(Base64.getDecoder().decode(ciphertext)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt the access token", e);
        }
    }
}
