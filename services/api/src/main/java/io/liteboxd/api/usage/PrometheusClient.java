package io.liteboxd.api.usage;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The one way to talk to a Prometheus (detection and usage queries share it). Every call is
 * bounded ({@code detectTimeout} for a probe, {@code queryTimeout} for a query), never follows a
 * redirect, and never throws: an address that does not answer is "no", a query without a sample
 * is empty.
 */
@Singleton
class PrometheusClient {

    private final UsageSettings settings;
    private final HttpClient http;
    private final JsonMapper json;

    PrometheusClient(UsageSettings settings, JsonMapper json) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(max(settings.detectTimeout(), settings.queryTimeout()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.json = json;
    }

    /** Whether a Prometheus answers at {@code url} (its build-info endpoint returns 200). */
    boolean answers(String url) {
        return get(url + "/api/v1/status/buildinfo", settings.detectTimeout()) instanceof byte[];
    }

    /** The value of an instant query's single sample, if the query has one. */
    @SuppressWarnings("unchecked")
    OptionalDouble instant(String url, String promql) {
        String uri = url + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        if (!(get(uri, settings.queryTimeout()) instanceof byte[] body)) {
            return OptionalDouble.empty();
        }
        try {
            return PrometheusQueries.value(json.readValue(body, Map.class));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /** The body of a 200 answer, else null. */
    private byte[] get(String uri, Duration timeout) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
