package io.liteboxd.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Drain through a real embedded server. Every test gets a fresh context (a drain cannot be
 * undone). Nothing here depends on timing: latches order the steps, and the bounds on waits are
 * only there so that a broken drain fails instead of hanging.
 */
@MicronautTest(rebuildContext = true)
@Property(name = "spec.name", value = "DrainHttpTest")
@Property(name = "liteboxd.drain.signal-handler", value = "false")
class DrainHttpTest {

    private static final long WAIT_SECONDS = 30;
    private static final String DRAINING_BODY = "{\"error\":\"service is draining\"}";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @Inject
    EmbeddedServer server;

    @Inject
    Drain drain;

    @Inject
    DrainTestController.Gates gates;

    @Test
    void inFlightRequestFinishesWhileNewOnesAreTurnedAway() throws Exception {
        assertEquals(200, get("/readyz").statusCode());

        CompletableFuture<HttpResponse<String>> slow = getAsync("/test/slow");
        assertTrue(gates.entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the slow request reached its controller");

        CompletableFuture<Void> drained = drain.begin();

        HttpResponse<String> readyz = get("/readyz");
        assertEquals(503, readyz.statusCode());
        assertEquals("{\"status\":\"draining\"}", readyz.body());

        HttpResponse<String> refused = get("/test/fast");
        assertEquals(503, refused.statusCode());
        assertEquals(DRAINING_BODY, refused.body());

        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode(), "alive while draining");
        assertEquals("{\"status\":\"ok\"}", health.body());
        assertEquals(200, get("/management/prometheus").statusCode(), "metrics are still scraped");

        assertFalse(drained.isDone(), "the slow request is still in flight");
        gates.release.countDown();
        HttpResponse<String> finished = slow.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode());
        assertEquals("slow", finished.body());
        drained.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aStreamedBodyHoldsTheDrainUntilItsLastByte() throws Exception {
        CompletableFuture<HttpResponse<String>> stream = getAsync("/test/stream");
        assertTrue(gates.entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the body started streaming");

        CompletableFuture<Void> drained = drain.begin();
        assertEquals(1, drain.activeRequests());
        assertFalse(drained.isDone(), "the filter chain is done but the body is still being written");

        gates.release.countDown();
        HttpResponse<String> finished = stream.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode());
        assertEquals(DrainTestController.FIRST_CHUNK, finished.body());
        drained.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void anOpenSessionHoldsTheDrainUntilItCloses() throws Exception {
        Drain.Session terminal = drain.open("terminal");
        CompletableFuture<Void> drained = drain.begin();
        assertEquals(503, get("/test/fast").statusCode());
        assertFalse(drained.isDone(), "the terminal session is still open");
        terminal.close();
        drained.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void failedAndUnroutedRequestsAreReleasedToo() throws Exception {
        assertEquals(500, get("/test/fail").statusCode());
        assertEquals(404, get("/test/missing").statusCode());
        assertEquals(200, get("/test/fast").statusCode());
        awaitZero(drain::activeRequests);
        drain.begin().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatHangsUpMidResponseIsReleased() throws Exception {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /test/stream HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(gates.entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the body started streaming");
            assertEquals(1, drain.activeRequests());
        }
        // The body's producer ends only now, after the client has gone away.
        gates.release.countDown();
        awaitZero(drain::activeRequests);
    }

    @Test
    void websocketUpgradesAreRefusedWhileDraining() throws Exception {
        drain.begin().get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /test/terminal HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            String head = readHead(socket.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 503"), head);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(WAIT_SECONDS)).build();
    }

    /** The server releases a request right after writing it, so the client may be a hair ahead. */
    private static void awaitZero(IntSupplier count) throws Exception {
        Await.until(Duration.ofSeconds(WAIT_SECONDS), "nothing is in flight", count::getAsInt, n -> n == 0);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                break;
            }
        }
        return head.toString();
    }
}
