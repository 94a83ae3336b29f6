package io.liteboxd.api.auth;

import io.liteboxd.api.error.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import jakarta.inject.Named;

/**
 * Upstream's auth middleware for every {@code /api/v1} route but login: a Bearer API key (no
 * fallback to the cookie when it is wrong), else the session cookie, else 401. Only hashes of
 * presented secrets are looked up; the secrets themselves are never stored or logged.
 */
@ServerFilter("/api/v1/**")
public class AuthFilter {

    public static final String SESSION_COOKIE = "liteboxd_session";
    private static final String LOGIN_PATH = "/api/v1/auth/login";

    private final ApiKeyRepository apiKeys;
    private final SessionRepository sessions;
    private final ExecutorService background;

    AuthFilter(ApiKeyRepository apiKeys, SessionRepository sessions,
               @Named(TaskExecutors.BLOCKING) ExecutorService background) {
        this.apiKeys = apiKeys;
        this.sessions = sessions;
        this.background = background;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<ErrorBody> authenticate(HttpRequest<?> request) {
        if (request.getMethod() == HttpMethod.OPTIONS
                || (request.getMethod() == HttpMethod.POST && LOGIN_PATH.equals(request.getPath()))) {
            return null;
        }
        Instant now = Instant.now();
        String authorization = request.getHeaders().getAuthorization().orElse("");
        if (authorization.startsWith("Bearer ") && !authorization.substring(7).isBlank()) {
            return authenticateApiKey(request, authorization.substring(7), now);
        }
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        if (cookie != null && !cookie.getValue().isBlank()) {
            var session = sessions.findById(Secrets.sha256Hex(cookie.getValue()));
            if (session.isPresent()) {
                if (!session.get().expiresAt().isBefore(now)) {
                    request.setAttribute(Principal.ATTRIBUTE, new Principal(Principal.Method.session, session.get().userId()));
                    return null;
                }
                String expired = session.get().id();
                background.execute(() -> sessions.deleteById(expired));
            }
        }
        return unauthorized("authentication required");
    }

    private HttpResponse<ErrorBody> authenticateApiKey(HttpRequest<?> request, String key, Instant now) {
        var apiKey = apiKeys.findByKeyHash(Secrets.sha256Hex(key));
        if (apiKey.isEmpty() || apiKey.get().expiredAt(now)) {
            return unauthorized("invalid or expired API key");
        }
        String id = apiKey.get().id();
        background.execute(() -> apiKeys.touch(id, now));
        request.setAttribute(Principal.ATTRIBUTE, new Principal(Principal.Method.api_key, null));
        return null;
    }

    private static HttpResponse<ErrorBody> unauthorized(String message) {
        return HttpResponse.<ErrorBody>status(HttpStatus.UNAUTHORIZED).body(new ErrorBody(message));
    }
}
