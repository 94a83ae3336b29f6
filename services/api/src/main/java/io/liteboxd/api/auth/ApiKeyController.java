package io.liteboxd.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.error.FlatError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** {@code /api/v1/auth/api-keys}: long-lived Bearer keys for SDKs and the CLI (session only). */
@Controller("/api/v1/auth/api-keys")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "auth")
@SecurityRequirement(name = ApiApplication.SESSION)
@FlatError.Defaults
@FlatError.SessionOnly
public class ApiKeyController {

    static final String KEY_PREFIX = "lbxk_";
    private static final int KEY_BYTES = 32;
    private static final int VISIBLE_PREFIX = 8;
    private static final int MAX_NAME = 128;

    @Serdeable
    @Schema(requiredProperties = "name")
    public record CreateRequest(@Nullable String name, @Nullable @JsonProperty("expires_in_days") Integer expiresInDays) {}

    /** Returned once, at creation: the only time the key itself is visible. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Created(String id, String name, String key, String prefix,
                          @Nullable @JsonProperty("expires_at") Instant expiresAt,
                          @JsonProperty("created_at") Instant createdAt) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Listed(String id, String name, String prefix,
                         @Nullable @JsonProperty("expires_at") Instant expiresAt,
                         @Nullable @JsonProperty("last_used_at") Instant lastUsedAt,
                         @JsonProperty("created_at") Instant createdAt) {}

    @Serdeable
    public record Message(String message) {}

    private final ApiKeyRepository keys;

    ApiKeyController(ApiKeyRepository keys) {
        this.keys = keys;
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(operationId = "createApiKey", summary = "Create an API key; the key itself is shown only here")
    @FlatError.BadRequest
    @FlatError.TooLarge
    Created create(HttpRequest<?> request, @Body CreateRequest body) {
        Principal.requireSession(request);
        if (body.name() == null || body.name().isEmpty() || body.name().length() > MAX_NAME) {
            throw ApiException.badRequest("name is required and must be at most 128 characters");
        }
        String secret = Secrets.randomHex(KEY_BYTES);
        String key = KEY_PREFIX + secret;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expiresAt = body.expiresInDays() != null && body.expiresInDays() > 0
                ? now.plus(Duration.ofDays(body.expiresInDays())) : null;
        ApiKey saved = keys.save(new ApiKey(UUID.randomUUID().toString(), body.name(),
                secret.substring(0, VISIBLE_PREFIX), Secrets.sha256Hex(key), expiresAt, null, now));
        return new Created(saved.id(), saved.name(), key, saved.prefix(), expiresAt, now);
    }

    @Get
    @Operation(operationId = "listApiKeys", summary = "API keys, newest first (without the keys)")
    List<Listed> list(HttpRequest<?> request) {
        Principal.requireSession(request);
        return keys.listOrderByCreatedAtDesc().stream()
                .map(k -> new Listed(k.id(), k.name(), k.prefix(), k.expiresAt(), k.lastUsedAt(), k.createdAt()))
                .toList();
    }

    @Delete("/{id}")
    @Operation(operationId = "deleteApiKey", summary = "Revoke an API key")
    @FlatError.NotFound
    Message delete(HttpRequest<?> request, @PathVariable String id) {
        Principal.requireSession(request);
        if (!keys.existsById(id)) {
            throw ApiException.notFound("API key not found");
        }
        keys.deleteById(id);
        return new Message("API key deleted");
    }
}
