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
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
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
 * one public route, so the security requirements are per method here.
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

    @Serdeable
    @Schema(requiredProperties = {"old_password", "new_password"})
    public record ChangePasswordRequest(@Nullable @JsonProperty("old_password") String oldPassword,
                                        @Nullable @JsonProperty("new_password") String newPassword) {}

    private static final int SESSION_TOKEN_BYTES = 32;
    private static final int MIN_PASSWORD_LENGTH = 8;

    private final AdminUserRepository users;
    private final SessionRepository sessions;
    private final AuthSettings settings;

    AuthController(AdminUserRepository users, SessionRepository sessions, AuthSettings settings) {
        this.users = users;
        this.sessions = sessions;
        this.settings = settings;
    }

    @Post("/login")
    @Operation(operationId = "login", summary = "Log in; sets the liteboxd_session cookie")
    @FlatError.BadRequest
    @FlatError.WrongPassword
    @FlatError.TooLarge
    HttpResponse<LoginResponse> login(HttpRequest<?> request, @Body LoginRequest body) {
        if (body.username() == null || body.username().isEmpty() || body.password() == null || body.password().isEmpty()) {
            throw ApiException.badRequest("username and password are required");
        }
        AdminUser user = users.findByUsername(body.username())
                .filter(u -> Passwords.matches(body.password(), u.passwordHash()))
                .orElseThrow(() -> ApiException.unauthorized("invalid credentials"));
        String token = Secrets.randomHex(SESSION_TOKEN_BYTES);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        sessions.save(new Session(Secrets.sha256Hex(token), user.id(), now.plus(settings.sessionMaxAge()), now));
        return HttpResponse.ok(new LoginResponse("login successful", user.username()))
                .cookie(sessionCookie(request, token, settings.sessionMaxAge().toSeconds()));
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
        Cookie cookie = request.getCookies().get(AuthFilter.SESSION_COOKIE);
        if (cookie != null) {
            sessions.deleteById(Secrets.sha256Hex(cookie.getValue()));
        }
        return HttpResponse.ok(new Message("logout successful")).cookie(sessionCookie(request, "", 0));
    }

    @Post("/change-password")
    @Operation(operationId = "changePassword", summary = "Change the admin password")
    @SecurityRequirement(name = ApiApplication.SESSION)
    @FlatError.BadRequest
    @FlatError.WrongPassword
    @FlatError.SessionOnly
    @FlatError.TooLarge
    Message changePassword(HttpRequest<?> request, @Body ChangePasswordRequest body) {
        Principal principal = Principal.requireSession(request);
        if (body.oldPassword() == null || body.oldPassword().isEmpty()) {
            throw ApiException.badRequest("invalid request: old_password is required");
        }
        if (body.newPassword() == null || body.newPassword().length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest("invalid request: new_password must be at least 8 characters");
        }
        AdminUser user = users.findById(principal.userId())
                .orElseThrow(() -> ApiException.unauthorized("user not found"));
        if (!Passwords.matches(body.oldPassword(), user.passwordHash())) {
            throw ApiException.unauthorized("invalid old password");
        }
        users.update(user.withPasswordHash(Passwords.hash(body.newPassword(), Passwords.CHANGE_COST),
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        return new Message("password updated successfully");
    }

    private static Cookie sessionCookie(HttpRequest<?> request, String value, long maxAgeSeconds) {
        boolean secure = request.isSecure()
                || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        return Cookie.of(AuthFilter.SESSION_COOKIE, value)
                .path("/").maxAge(maxAgeSeconds).httpOnly(true).sameSite(SameSite.Lax).secure(secure);
    }
}
