package io.liteboxd.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.error.FlatError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code /api/v1/auth}: login with a session cookie, who am I, logout, change password. Login is the
 * one public route, so the security requirements are per method here. Passwords are checked through
 * {@link PasswordCheck} (throttled, same cost for unknown users) and hashed through
 * {@link PasswordHashing} (bounded); bcrypt's 72-byte limit is a 400, not a silent cut or a 500.
 */
@Controller("/api/v1/auth")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "auth")
@FlatError.Defaults
public class AuthController {

    @Serdeable
    @Schema(requiredProperties = {"username", "password"})
    public record LoginRequest(@Nullable String username, @Nullable String password) {}

    @Serdeable
    public record Message(String message) {}

    @Serdeable
    public record LoginResponse(String message, String username) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Me(@JsonProperty("auth_method") Principal.Method authMethod, @Nullable String username) {}

    /** {@code revoke_api_keys} (ours): also delete every API key (they belong to no user upstream). */
    @Serdeable
    @Schema(requiredProperties = {"old_password", "new_password"})
    public record ChangePasswordRequest(@Nullable @JsonProperty("old_password") String oldPassword,
                                        @Nullable @JsonProperty("new_password") String newPassword,
                                        @Nullable @JsonProperty("revoke_api_keys") Boolean revokeApiKeys) {}

    private static final int SESSION_TOKEN_BYTES = 32;
    private static final int MIN_PASSWORD_LENGTH = 8;

    private final AdminUserRepository users;
    private final SessionRepository sessions;
    private final ApiKeyRepository apiKeys;
    private final PasswordCheck passwords;
    private final PasswordHashing hashing;
    private final AuthSettings settings;

    AuthController(AdminUserRepository users, SessionRepository sessions, ApiKeyRepository apiKeys,
                   PasswordCheck passwords, PasswordHashing hashing, AuthSettings settings) {
        this.users = users;
        this.sessions = sessions;
        this.apiKeys = apiKeys;
        this.passwords = passwords;
        this.hashing = hashing;
        this.settings = settings;
    }

    @Post("/login")
    @Operation(operationId = "login", summary = "Log in; sets the session cookie (liteboxd_session, "
            + "__Host-liteboxd_session under TLS)")
    @FlatError.BadRequest
    @FlatError.WrongPassword
    @FlatError.Throttled
    @FlatError.Busy
    @FlatError.TooLarge
    HttpResponse<LoginResponse> login(HttpRequest<?> request, @Body LoginRequest body) {
        if (body.username() == null || body.username().isEmpty() || body.password() == null || body.password().isEmpty()) {
            throw ApiException.badRequest("username and password are required");
        }
        if (Passwords.tooLong(body.password())) {
            throw ApiException.badRequest("password must be at most " + Passwords.MAX_BYTES + " bytes");
        }
        AdminUser user = users.findByUsername(body.username()).orElse(null);
        if (!passwords.verify(request, body.username(), user, body.password())) {
            throw ApiException.unauthorized("invalid credentials");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (Passwords.needsRehash(user.passwordHash())) {
            // An upstream hash of another cost: bring it to ours, so every check costs the same.
            users.update(user.withPasswordHash(hashing.hash(body.password()), now));
        }
        String token = Secrets.randomHex(SESSION_TOKEN_BYTES);
        sessions.save(new Session(Secrets.sha256Hex(token), user.id(), now.plus(settings.sessionMaxAge()), now));
        return HttpResponse.ok(new LoginResponse("login successful", user.username()))
                .cookie(SessionCookies.issue(request, token, settings.sessionMaxAge().toSeconds()));
    }

    @Get("/me")
    @Operation(operationId = "me", summary = "How the caller authenticated; the username only for sessions")
    @SecurityRequirement(name = ApiApplication.SESSION)
    @SecurityRequirement(name = ApiApplication.API_KEY)
    Me me(HttpRequest<?> request) {
        Principal principal = Principal.of(request);
        String username = principal.userId() == null ? null
                : users.findById(principal.userId()).map(AdminUser::username).orElse(null);
        return new Me(principal.method(), username);
    }

    @Post("/logout")
    @Operation(operationId = "logout", summary = "End the session and clear its cookie")
    @SecurityRequirement(name = ApiApplication.SESSION)
    @FlatError.SessionOnly
    HttpResponse<Message> logout(HttpRequest<?> request) {
        Principal.requireSession(request);
        SessionCookies.read(request).ifPresent(token -> sessions.deleteById(Secrets.sha256Hex(token)));
        return HttpResponse.ok(new Message("logout successful")).cookie(SessionCookies.issue(request, "", 0));
    }

    @Post("/change-password")
    @Operation(operationId = "changePassword", summary = "Change the admin password; ends the user's other "
            + "sessions, and with revoke_api_keys deletes every API key")
    @SecurityRequirement(name = ApiApplication.SESSION)
    @FlatError.BadRequest
    @FlatError.WrongPassword
    @FlatError.SessionOnly
    @FlatError.Throttled
    @FlatError.Busy
    @FlatError.TooLarge
    Message changePassword(HttpRequest<?> request, @Body ChangePasswordRequest body) {
        Principal principal = Principal.requireSession(request);
        if (body.oldPassword() == null || body.oldPassword().isEmpty()) {
            throw ApiException.badRequest("invalid request: old_password is required");
        }
        if (body.newPassword() == null || body.newPassword().length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest("invalid request: new_password must be at least 8 characters");
        }
        if (Passwords.tooLong(body.newPassword())) {
            throw ApiException.badRequest("invalid request: new_password must be at most " + Passwords.MAX_BYTES
                    + " bytes");
        }
        AdminUser user = users.findById(principal.userId())
                .orElseThrow(() -> ApiException.unauthorized("user not found"));
        // A stolen session must not become a way to guess the password: same throttle as login.
        if (!passwords.verify(request, user.username(), user, body.oldPassword())) {
            throw ApiException.unauthorized("invalid old password");
        }
        users.update(user.withPasswordHash(hashing.hash(body.newPassword()),
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        // Whoever else holds a session of this user (a thief, another browser) is logged out.
        String current = SessionCookies.read(request).map(Secrets::sha256Hex).orElse("");
        sessions.deleteByUserIdAndIdNotEqual(user.id(), current);
        if (Boolean.TRUE.equals(body.revokeApiKeys())) {
            apiKeys.deleteAll();
        }
        return new Message("password updated successfully");
    }
}
