package io.liteboxd.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import io.liteboxd.gateway.RawHttp;
import io.liteboxd.gateway.TestSandboxes;
import io.liteboxd.gateway.sandbox.GatewaySettings;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * No control-plane credential crosses into a sandbox and no sandbox can plant one, in path mode
 * and in host mode ({@code <port>-<id>.sbx.test}, sent as the Host header to the test's gateway),
 * over HTTP and WebSocket handshakes; the token cookie; the gateway's own endpoints only on its
 * own hosts.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class GatewayIsolationClusterTest implements TestPropertyProvider {

    static final String ID = "15010001";
    static final String TOKEN = "iso-" + System.nanoTime();
    static final String DOMAIN = "sbx.test";
    /** Everything a browser on the shared origin may send besides the app's own cookies. */
    static final String COOKIES = "liteboxd_session=sess1; app=1; __Host-liteboxd_session=sess2; "
            + "liteboxd_sandbox_token=tok1; theme=dark; __Host-liteboxd_sandbox_token=tok2";

    final TestSandboxes sandboxes = new TestSandboxes();
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(sandboxes.getProperties());
        properties.put("liteboxd.gateway.sandbox-domain", DOMAIN);
        return properties;
    }

    @BeforeAll
    void startSandbox() throws Exception {
        sandboxes.start(ID, TOKEN);
        Await.until(Duration.ofSeconds(30), "the gateway admits the running sandbox",
                () -> send(path(8080, "/hello").header("X-Access-Token", TOKEN)).statusCode() == 200);
    }

    @AfterAll
    void cleanUp() throws Exception {
        sandboxes.removeNamespace();
    }

    @Test
    void theSandboxNeverSeesControlPlaneCredentialsOverHttp() throws Exception {
        for (HttpRequest.Builder request : List.of(path(8080, "/headers"), host(8080, "/headers"))) {
            Map<?, ?> headers = seen(send(request.header("X-Access-Token", TOKEN).header("Cookie", COOKIES)
                    .header("Authorization", "Bearer app-token")));
            assertFalse(headers.containsKey("x-access-token"));
            assertEquals("app=1; theme=dark", headers.get("cookie"), "only the app's own cookies");
            assertEquals("Bearer app-token", headers.get("authorization"), "the app's own credentials pass");
        }
        for (HttpRequest.Builder request : List.of(path(8080, "/headers"), host(8080, "/headers"))) {
            Map<?, ?> headers = seen(send(request.header("X-Access-Token", TOKEN)
                    .header("Authorization", "Bearer lbxk_" + "0".repeat(64))));
            assertNull(headers.get("authorization"), "an API key never reaches a sandbox");
        }
        Map<?, ?> headers = seen(send(path(8080, "/headers").header("X-Access-Token", TOKEN)
                .header("Cookie", "liteboxd_session=sess1").header("Authorization", "Bearer sess1")));
        assertNull(headers.get("authorization"), "nor the session, copied into a header");
        assertNull(headers.get("cookie"), "a Cookie header left empty is dropped");
    }

    @Test
    void theSandboxNeverSeesControlPlaneCredentialsInAWebSocketHandshake() throws Exception {
        for (boolean hostMode : List.of(false, true)) {
            Map<?, ?> headers = handshakeSeen(hostMode, "Bearer app-token");
            assertFalse(headers.containsKey("x-access-token"), "host mode " + hostMode);
            assertEquals("app=1; theme=dark", headers.get("cookie"));
            assertEquals("Bearer app-token", headers.get("authorization"));
            assertNull(handshakeSeen(hostMode, "Bearer lbxk_" + "1".repeat(64)).get("authorization"));
        }
    }

    @Test
    void cookiesFromTheSandboxNeverReachTheControlPlane() throws Exception {
        HttpResponse<String> pathMode = send(path(8080, "/set-cookie").header("X-Access-Token", TOKEN));
        assertEquals(200, pathMode.statusCode());
        assertEquals(List.of("app=1; Path=/api/v1/sandbox/" + ID + "/port/8080/app; HttpOnly",
                "pref=dark"), pathMode.headers().allValues("set-cookie"), "rescoped under the sandbox port, host-only");
        assertTrue(pathMode.headers().allValues("set-cookie2").isEmpty());
        assertTrue(pathMode.headers().allValues("clear-site-data").isEmpty(), "it would wipe the API's cookies");
        assertEquals(List.of("default-src 'self'", GatewaySettings.DEFAULT_CSP),
                pathMode.headers().allValues("content-security-policy"));

        HttpResponse<String> hostMode = send(host(8080, "/set-cookie").header("X-Access-Token", TOKEN));
        assertEquals(200, hostMode.statusCode());
        assertEquals(List.of("app=1; Path=/app; HttpOnly", "pref=dark"), hostMode.headers().allValues("set-cookie"),
                "host-only: no cookie for sibling sandboxes or the API's host");
        assertTrue(hostMode.headers().allValues("set-cookie2").isEmpty());
        assertEquals(1, hostMode.headers().allValues("clear-site-data").size(), "on its own host it clears only its own");
        assertEquals(List.of("default-src 'self'"), hostMode.headers().allValues("content-security-policy"));
    }

    @Test
    void hostModeServesHttpAndWebSocketsOnTheSandboxesOwnHost() throws Exception {
        assertEquals(Map.of("hello", 8080), body(send(host(8080, "/hello").header("X-Access-Token", TOKEN))));
        assertEquals(Map.of("hello", 80), body(send(host(80, "/hello").header("X-Access-Token", TOKEN))));
        assertError(send(host(8080, "/hello")), 401, "missing access token");
        for (String own : List.of("/health", "/readyz", "/management/prometheus", "/management/health")) {
            assertError(send(host(8080, own).header("X-Access-Token", TOKEN)), 404, "no such page");
        }
        assertError(send(host(8080, "/health")), 401, "missing access token");
        assertError(send(path(8080, "/x").header("Host", DOMAIN)), 404, "sandbox not found");

        BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().header("Host", hostName(8765)).header("X-Access-Token", TOKEN)
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/echo"),
                        GatewayProxyClusterTest.collector(messages, closed)).join();
        socket.sendText("hello on my own host", true).join();
        assertEquals("hello on my own host", messages.poll(10, TimeUnit.SECONDS));
        socket.sendText("close:4003", true).join();
        assertEquals(4003, closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void otherHostsKeepPathRoutingAndTheGatewaysOwnEndpoints() throws Exception {
        assertEquals(Map.of("hello", 8080), body(send(path(8080, "/hello").header("X-Access-Token", TOKEN))));
        assertEquals(Map.of("status", "ok", "service", "gateway"), body(send(HttpRequest.newBuilder(own("/health")))));
        assertEquals(200, send(HttpRequest.newBuilder(own("/management/prometheus"))).statusCode());
        assertError(send(HttpRequest.newBuilder(own("/nowhere"))), 404, "not found");
        var stray = http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + server.getPort() + "/nowhere"),
                GatewayProxyClusterTest.collector(new LinkedBlockingQueue<>(), new CompletableFuture<>()));
        CompletionException failure = assertThrows(CompletionException.class, stray::join);
        assertEquals(404, ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode(),
                "host mode's catch-all route accepts nothing on other hosts");
    }

    @Test
    void aLinkWithTheTokenBecomesAPathScopedCookieInPathMode() throws Exception {
        HttpResponse<String> redirect = send(path(8080, "/headers?x=1&access_token=" + TOKEN)
                .header("Sec-Fetch-Mode", "navigate"));
        assertEquals(303, redirect.statusCode(), redirect.body());
        String location = redirect.headers().firstValue("location").orElseThrow();
        assertEquals("/api/v1/sandbox/" + ID + "/port/8080/headers?x=1", location, "the token leaves the URL");
        assertEquals("liteboxd_sandbox_token=" + TOKEN + "; Path=/api/v1/sandbox/" + ID + "/port/8080/; HttpOnly; SameSite=Lax",
                redirect.headers().firstValue("set-cookie").orElseThrow());

        Map<?, ?> seen = body(send(HttpRequest.newBuilder(own(location))
                .header("Cookie", "liteboxd_sandbox_token=" + TOKEN + "; app=1").header("Sec-Fetch-Mode", "navigate")));
        assertEquals("app=1", ((Map<?, ?>) seen.get("headers")).get("cookie"), "the cookie alone admits; it stays here");

        HttpResponse<String> secure = send(path(8080, "/?access_token=" + TOKEN).header("Sec-Fetch-Mode", "navigate")
                .header("X-Forwarded-Proto", "https"));
        assertTrue(secure.headers().firstValue("set-cookie").orElseThrow().endsWith("; SameSite=None; Secure"),
                "CSP-sandboxed pages' subresources are cross-site: they need SameSite=None");
        assertError(send(path(8080, "/?access_token=wrong").header("Sec-Fetch-Mode", "navigate")), 401,
                "invalid access token");
    }

    @Test
    void aLinkWithTheTokenBecomesAHostCookieAndOtherSitesCannotUseIt() throws Exception {
        HttpResponse<String> redirect = send(host(8080, "/headers?access_token=" + TOKEN)
                .header("Sec-Fetch-Mode", "navigate").header("X-Forwarded-Proto", "https"));
        assertEquals(303, redirect.statusCode(), redirect.body());
        assertEquals("/headers", redirect.headers().firstValue("location").orElseThrow());
        assertEquals("__Host-liteboxd_sandbox_token=" + TOKEN + "; Path=/; HttpOnly; Secure; SameSite=Lax",
                redirect.headers().firstValue("set-cookie").orElseThrow());
        String cookie = "__Host-liteboxd_sandbox_token=" + TOKEN;
        Map<?, ?> seen = body(send(host(8080, "/headers").header("Cookie", cookie)));
        assertNull(((Map<?, ?>) seen.get("headers")).get("cookie"));
        assertEquals(200, send(host(8080, "/headers").header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin").header("Sec-Fetch-Mode", "cors")).statusCode());
        assertEquals(200, send(host(8080, "/headers").header("Cookie", cookie)
                .header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "navigate")).statusCode(),
                "following a link from elsewhere is fine");
        for (String site : List.of("same-site", "cross-site")) {
            assertError(send(host(8080, "/headers").header("Cookie", cookie).header("Sec-Fetch-Site", site)
                    .header("Sec-Fetch-Mode", "cors")), 403, "cross-origin request refused");
        }
        assertEquals(200, send(host(8080, "/headers").header("X-Access-Token", TOKEN)
                .header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "cors")).statusCode(),
                "a token the page holds itself is no ambient authority");

        var sibling = http.newWebSocketBuilder().header("Host", hostName(8765)).header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-site").header("Sec-Fetch-Mode", "websocket")
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/echo"),
                        GatewayProxyClusterTest.collector(new LinkedBlockingQueue<>(), new CompletableFuture<>()));
        CompletionException failure = assertThrows(CompletionException.class, sibling::join);
        assertEquals(403, ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode());
    }

    @Test
    void aRefusedUpgradeIsJson() throws Exception {
        RawHttp.Response response = RawHttp.exchange(server.getPort(), "GET /echo HTTP/1.1\r\nHost: " + hostName(8765)
                + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nCookie: liteboxd_sandbox_token=" + TOKEN
                + "\r\nSec-Fetch-Site: cross-site\r\n\r\n");
        assertEquals(403, response.status(), response.head());
        assertEquals(Map.of("error", "cross-origin request refused"), json.readValue(response.body(), Map.class));
    }

    private Map<?, ?> handshakeSeen(boolean hostMode, String authorization) throws Exception {
        BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        WebSocket.Builder builder = http.newWebSocketBuilder().header("X-Access-Token", TOKEN).header("Cookie", COOKIES)
                .header("Authorization", authorization);
        URI uri;
        if (hostMode) {
            builder.header("Host", hostName(8765));
            uri = URI.create("ws://localhost:" + server.getPort() + "/headers");
        } else {
            uri = URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandbox/" + ID + "/port/8765/headers");
        }
        WebSocket socket = builder.buildAsync(uri, GatewayProxyClusterTest.collector(messages, new CompletableFuture<>())).join();
        Object first = messages.poll(10, TimeUnit.SECONDS);
        socket.sendClose(1000, "").join();
        assertTrue(first instanceof String, String.valueOf(first));
        return (Map<?, ?>) json.readValue((String) first, Map.class).get("headers");
    }

    private static String hostName(int port) {
        return port + "-" + ID + "." + DOMAIN;
    }

    private URI own(String pathAndQuery) {
        return URI.create("http://localhost:" + server.getPort() + pathAndQuery);
    }

    private HttpRequest.Builder path(int port, String pathAndQuery) {
        return HttpRequest.newBuilder(own("/api/v1/sandbox/" + ID + "/port/" + port + pathAndQuery));
    }

    private HttpRequest.Builder host(int port, String pathAndQuery) {
        return HttpRequest.newBuilder(own(pathAndQuery)).header("Host", hostName(port));
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
        return http.send(builder.build(), BodyHandlers.ofString());
    }

    private Map<?, ?> seen(HttpResponse<String> response) throws Exception {
        return (Map<?, ?>) body(response).get("headers");
    }

    private Map<?, ?> body(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return json.readValue(response.body(), Map.class);
    }

    private void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(Map.of("error", message), json.readValue(response.body(), Map.class));
    }
}
