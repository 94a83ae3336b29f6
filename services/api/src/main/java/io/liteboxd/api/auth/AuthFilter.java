package io.liteboxd.api.auth;

import io.liteboxd.api.error.ErrorBody;
import io.liteboxd.api.warmup.WarmupCredential;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.server.netty.NettyHttpRequest;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import io.micronaut.scheduling.TaskExecutors;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import jakarta.inject.Named;

/**
 * Upstream's auth middleware for every {@code /api/v1} route but login: a Bearer API key (no
 * fallback to the cookie when it is wrong), else the session cookie ({@link SessionCookies}), else
 * 401. Cookie-authenticated requests, WebSocket upgrades included, and logins must also pass the
 * {@link OriginCheck} (403 {@code cross-origin request refused}); API keys are not checked, a page
 * in a browser cannot send one it does not know. Only hashes of presented secrets are looked up;
 * the secrets themselves are never stored or logged.
 */
@ServerFilter("/api/v1/**")
public class AuthFilter {

    private static final String LOGIN_PATH = "/api/v1/auth/login";

    private final ApiKeyRepository apiKeys;
    private final SessionRepository sessions;
    private final OriginCheck origins;
    private final ExecutorService background;
    private final WarmupCredential warmup;
    private final ApiKeyUse uses = new ApiKeyUse();

    AuthFilter(ApiKeyRepository apiKeys, SessionRepository sessions, OriginCheck origins,
               WarmupCredential warmup, @Named(TaskExecutors.BLOCKING) ExecutorService background) {
        this.warmup = warmup;
        this.apiKeys = apiKeys;
        this.sessions = sessions;
        this.origins = origins;
        this.background = background;
    }

    /**
     * The lookups hit SQLite, so they run on the blocking executor. The answer is handed back on
     * the connection's event loop: Micronaut completes a WebSocket upgrade on whatever thread the
     * filter chain continues on, and from any other thread it writes the 101 before it has put
     * its WebSocket handler in the pipeline, so a frame the client sends at once is lost.
     */
    @RequestFilter
    public Publisher<MutableHttpResponse<?>> authenticate(HttpRequest<?> request,
                                                          FilterContinuation<Publisher<MutableHttpResponse<?>>> chain) {
        Executor resume = request instanceof NettyHttpRequest<?> netty
                ? netty.getChannelHandlerContext().channel().eventLoop()
                : Runnable::run;
        return Mono.fromFuture(CompletableFuture.supplyAsync(() -> check(request), background)
                        .thenApplyAsync(refusal -> refusal, resume))
                .<MutableHttpResponse<?>>map(refusal -> refusal)
                .switchIfEmpty(Mono.defer(() -> Mono.from(chain.proceed())));
    }

    @Nullable
    private MutableHttpResponse<ErrorBody> check(HttpRequest<?> request) {
        if (request.getMethod() == HttpMethod.OPTIONS) {
            return null; // CORS preflights carry no credentials (CorsFilter answers them)
        }
        if (request.getMethod() == HttpMethod.POST && LOGIN_PATH.equals(request.getPath())) {
            // Public, but it sets the cookie: a cross-site page must not log a browser in either.
            return origins.allows(request) ? null : crossOrigin();
        }
        if (warmup.accepts(request)) {
            // The replica's own warm-up GETs over loopback, before it is Ready (Warmup).
            request.setAttribute(Principal.ATTRIBUTE, new Principal(Principal.Method.api_key, null));
            return null;
        }
        Instant now = Instant.now();
        String authorization = request.getHeaders().getAuthorization().orElse("");
        if (authorization.startsWith("Bearer ") && !authorization.substring(7).isBlank()) {
            return authenticateApiKey(request, authorization.substring(7), now);
        }
        Optional<String> token = SessionCookies.read(request);
        if (token.isPresent()) {
            if (!origins.allows(request)) {
                return crossOrigin();
            }
            var session = sessions.findById(Secrets.sha256Hex(token.get()));
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

    private MutableHttpResponse<ErrorBody> authenticateApiKey(HttpRequest<?> request, String key, Instant now) {
        var apiKey = apiKeys.findByKeyHash(Secrets.sha256Hex(key));
        if (apiKey.isEmpty() || apiKey.get().expiredAt(now)) {
            return unauthorized("invalid or expired API key");
        }
        String id = apiKey.get().id();
        if (uses.shouldRecord(id, now)) {
            background.execute(() -> apiKeys.touch(id, now));
        }
        request.setAttribute(Principal.ATTRIBUTE, new Principal(Principal.Method.api_key, null));
        return null;
    }

    private static MutableHttpResponse<ErrorBody> crossOrigin() {
        return HttpResponse.<ErrorBody>status(HttpStatus.FORBIDDEN).body(new ErrorBody("cross-origin request refused"));
    }

    private static MutableHttpResponse<ErrorBody> unauthorized(String message) {
        return HttpResponse.<ErrorBody>status(HttpStatus.UNAUTHORIZED).body(new ErrorBody(message));
    }
}
