package io.liteboxd.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.common.lifecycle.Readiness;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * GET /api/v1/events over a real connection: auth like every /api/v1 route, {@code hello} first,
 * published events as named SSE events with JSON data, and the end of every stream when the drain
 * begins (so clients reconnect to a replica that stays). The drain goes last: it is irreversible.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveEventsTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    EmbeddedServer server;

    @Inject
    LiveEvents events;

    @Inject
    Readiness readiness;

    private final java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient();

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.username", "admin", "admin.initial.password", "events-test-pw");
    }

    private HttpResponse<InputStream> open(String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.getURL() + "/api/v1/events"))
                .header("Accept", "text/event-stream");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return raw.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The next event (its name and data lines), skipping comments; null at the end of the stream. */
    private static String[] next(BufferedReader reader) throws Exception {
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (name != null) {
                    return new String[] {name, data.toString()};
                }
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
        return null;
    }

    @Test
    @Order(1)
    void needsCredentials() throws Exception {
        HttpResponse<InputStream> response = open(null);
        assertEquals(401, response.statusCode());
        assertTrue(new String(response.body().readAllBytes(), StandardCharsets.UTF_8).contains("authentication required"));
    }

    @Test
    @Order(2)
    void streamsPublishedEventsAndEndsOnDrain() throws Exception {
        String cookie = new ApiClient(http, "admin", "events-test-pw").sessionCookie();
        HttpResponse<InputStream> response = open(cookie);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertEquals("hello", next(reader)[0]);
            Await.until(Duration.ofSeconds(10), "the stream is subscribed", events::watched);
            events.publish(EventType.SANDBOX, Map.of("id", "ab12cd34", "status", "deleted"));
            String[] event = next(reader);
            assertEquals("sandbox", event[0]);
            assertEquals("{\"id\":\"ab12cd34\",\"status\":\"deleted\"}".length(), event[1].length(), event[1]);
            assertTrue(event[1].contains("\"id\":\"ab12cd34\"") && event[1].contains("\"status\":\"deleted\""), event[1]);

            readiness.beginDrain();
            assertNull(next(reader), "the stream ends when the drain begins");
        }
    }
}
