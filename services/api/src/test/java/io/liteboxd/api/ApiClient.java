package io.liteboxd.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.Map;

/** A black-box client for tests: logs in as the admin once and sends requests with an API key. */
public final class ApiClient {

    /** A response: status and JSON body (a Map, a List, or null). */
    public record Reply(HttpStatus status, Object body) {
        public Map<?, ?> map() {
            return (Map<?, ?>) body;
        }
    }

    private final HttpClient http;
    private final String apiKey;
    private final String sessionCookie;

    public ApiClient(HttpClient http, String username, String password) {
        this.http = http;
        HttpResponse<Map> login = http.toBlocking().exchange(
                HttpRequest.POST("/api/v1/auth/login", Map.of("username", username, "password", password)), Map.class);
        String cookie = login.getHeaders().get(HttpHeaders.SET_COOKIE).split(";", 2)[0];
        this.sessionCookie = cookie;
        Map<?, ?> key = http.toBlocking().retrieve(HttpRequest.POST("/api/v1/auth/api-keys", Map.of("name", "tests"))
                .header(HttpHeaders.COOKIE, cookie), Map.class);
        this.apiKey = (String) key.get("key");
    }

    /** The API key, for tests that talk to the API with another HTTP client (streaming, WebSocket). */
    public String apiKey() {
        return apiKey;
    }

    /** The admin's session cookie ({@code name=value}), for tests of cookie-authenticated requests. */
    public String sessionCookie() {
        return sessionCookie;
    }

    /** Like {@link #send} for non-JSON answers (YAML): a 2xx body is returned as text. */
    public Reply sendForText(MutableHttpRequest<?> request) {
        try {
            HttpResponse<String> response = http.toBlocking().exchange(request.bearerAuth(apiKey), String.class);
            return new Reply(response.getStatus(), response.getBody().orElse(null));
        } catch (HttpClientResponseException e) {
            return new Reply(e.getStatus(), e.getResponse().getBody(Object.class).orElse(null));
        }
    }

    public Reply send(MutableHttpRequest<?> request) {
        try {
            HttpResponse<Object> response = http.toBlocking().exchange(request.bearerAuth(apiKey), Object.class);
            return new Reply(response.getStatus(), response.getBody().orElse(null));
        } catch (HttpClientResponseException e) {
            return new Reply(e.getStatus(), e.getResponse().getBody(Object.class).orElse(null));
        }
    }

    /** {@link #send} without the API key: the request's own headers only. */
    public Reply sendRaw(MutableHttpRequest<?> request) {
        try {
            HttpResponse<Object> response = http.toBlocking().exchange(request, Object.class);
            return new Reply(response.getStatus(), response.getBody().orElse(null));
        } catch (HttpClientResponseException e) {
            return new Reply(e.getStatus(), e.getResponse().getBody(Object.class).orElse(null));
        }
    }
}
