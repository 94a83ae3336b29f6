package io.liteboxd.egress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy end to end on real sockets: clients and upstreams on 127.0.0.1, names resolved by a
 * test resolver. Connections from 127.0.0.1 are sandbox {@code sbx-1}; from any other address,
 * nobody the proxy knows.
 */
class EgressProxyServerTest {

    /** How long any wait here may take: every one is local, on 127.0.0.1. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String SANDBOX = "sbx-1";

    private final RecentEgress audit = new RecentEgress(100);
    private HttpUpstream http;
    private EchoUpstream echo;
    private int closedPort;
    private EgressPolicy sandboxes;
    private Resolver resolver;
    private EgressProxyServer proxy;
    private int proxyPort;

    @BeforeEach
    void start() throws IOException {
        http = new HttpUpstream();
        echo = new EchoUpstream();
        try (ServerSocket gone = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = gone.getLocalPort(); // nothing listens there once closed: connections are refused
        }
        SandboxPolicy policy = new SandboxPolicy(SANDBOX,
                Allowlist.of(List.of("allowed.test", "*.wild.test", "internal.test")),
                Set.of(443, http.port(), echo.port(), closedPort));
        Map<String, String> names = Map.of("allowed.test", "127.0.0.1", "api.wild.test", "127.0.0.1",
                "deep.api.wild.test", "127.0.0.1", "wild.test", "127.0.0.1", "denied.test", "127.0.0.1",
                "internal.test", "127.0.0.2");
        Resolver resolver = host -> {
            String address = names.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(address));
        };
        sandboxes = client -> client.equals(LOOPBACK) ? Optional.of(policy) : Optional.empty();
        this.resolver = resolver;
        proxyPort = startProxy(EgressProxySettings.defaults()
                .withLoopbackAllowed() // the upstreams are on 127.0.0.1 ...
                .withBlockedCidrs(Set.of(Cidr.parse("127.0.0.2/32")))); // ... "the control plane" on .2
    }

    private int startProxy(EgressProxySettings settings) {
        if (proxy != null) {
            proxy.close();
        }
        proxy = new EgressProxyServer(sandboxes, resolver, audit, settings);
        return proxy.start(new InetSocketAddress(LOOPBACK, 0));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        http.close();
        echo.close();
    }

    @Test
    void anAllowedPlainHttpRequestIsForwardedInOriginFormAndAudited() throws Exception {
        String url = "http://allowed.test:" + http.port() + "/hello?x=1";
        ProxyConnection.Response response;
        try (ProxyConnection client = ProxyConnection.open(proxyPort)) {
            client.send("GET " + url + " HTTP/1.1\r\nHost: elsewhere.test\r\n"
                    + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nProxy-Connection: keep-alive\r\n"
                    + "Connection: keep-alive\r\nAccept: text/plain\r\n\r\n");
            response = client.readResponse(); // to the end: the proxy closes after one response
        }
        assertEquals(200, response.status());
        assertEquals("hello", response.body());
        assertEquals("close", response.headers().get("connection"));

        HttpUpstream.Seen seen = http.requests().getFirst();
        assertEquals("/hello?x=1", seen.uri());
        assertEquals("allowed.test:" + http.port(), seen.headers().getFirst("Host"), "the URL's host, not the client's");
        assertEquals("close", seen.headers().getFirst("Connection"));
        assertEquals("text/plain", seen.headers().getFirst("Accept"));
        assertFalse(seen.headers().containsKey("Proxy-Authorization"));
        assertFalse(seen.headers().containsKey("Proxy-Connection"));

        EgressTraffic traffic = awaitTraffic();
        EgressDecision decision = traffic.decision();
        assertTrue(decision.allowed());
        assertEquals(EgressDecision.ALLOWED, decision.reason());
        assertEquals(SANDBOX, decision.sandboxId());
        assertEquals("allowed.test", decision.host());
        assertEquals(http.port(), decision.port());
        assertEquals(LOOPBACK, decision.client().getAddress());
        assertTrue(traffic.bytesUp() > ("GET /hello?x=1 HTTP/1.1\r\n").length(), "the request went up: " + traffic);
        assertTrue(traffic.bytesDown() > "hello".length(), "the response came down: " + traffic);
        assertEquals(List.of(decision), audit.decisions());
    }

    /** The JDK's client as {@code HTTP_PROXY} would set it up: every request through the proxy. */
    private HttpClient proxiedClient() {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress(LOOPBACK, proxyPort)))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Test
    void theJdkClientPostsThroughTheProxyAsItWouldWithHttpProxySet() throws Exception {
        try (HttpClient client = proxiedClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://allowed.test:" + http.port() + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("ping body")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("ping body", response.body());
        }
        assertEquals("ping body", http.requests().getFirst().body());
        assertTrue(awaitTraffic().decision().allowed());
    }

    @Test
    void aLargePlainHttpDownloadStreamsThroughToTheLastByte() throws Exception {
        try (HttpClient client = proxiedClient()) {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://allowed.test:" + http.port() + "/big")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            // A slow reader (8 KiB at a time): the proxy must hold the upstream back, and never stall.
            long read = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                long total = 0;
                byte[] buffer = new byte[8192];
                try (InputStream body = response.body()) {
                    for (int n; (n = body.read(buffer)) > 0; ) {
                        total += n;
                    }
                }
                return total;
            });
            assertEquals(HttpUpstream.BIG_BODY, read);
        }
        assertTrue(awaitTraffic().bytesDown() > HttpUpstream.BIG_BODY);
    }

    @Test
    void aHostOutsideTheAllowlistIsRefusedWith403AndAudited() throws Exception {
        ProxyConnection.Response response = plainGet("denied.test", http.port());
        assertEquals(403, response.status());
        assertEquals("application/json", response.headers().get("content-type"));
        assertEquals("{\"error\":\"egress to denied.test:" + http.port() + " is not allowed for this sandbox\"}",
                response.body());
        assertEquals(List.of(new EgressDecision(decisionClient(), SANDBOX, "denied.test", http.port(), false,
                EgressDecision.HOST_NOT_ALLOWED)), audit.decisions());
        assertEquals(List.of(), http.requests());
        assertEquals(List.of(), audit.traffic());
    }

    @Test
    void aWildcardEntryLetsSubdomainsThroughButNotTheDomainItself() throws Exception {
        assertEquals(200, plainGet("api.wild.test", http.port()).status());
        assertEquals(200, plainGet("deep.api.wild.test", http.port()).status());
        assertEquals(403, plainGet("wild.test", http.port()).status());
        assertEquals(List.of("allowed", "allowed", EgressDecision.HOST_NOT_ALLOWED),
                audit.decisions().stream().map(EgressDecision::reason).toList());
        assertEquals(2, http.requests().size());
    }

    @Test
    void anAllowedConnectRelaysBothWaysAndCountsTheBytes() throws Exception {
        try (ProxyConnection client = ProxyConnection.open(proxyPort)) {
            assertTrue(connect(client, "allowed.test", echo.port()).startsWith("HTTP/1.1 200 Connection Established\r\n"));
            client.send("ping\n");
            assertArrayEquals("ping\n".getBytes(StandardCharsets.US_ASCII), client.readExactly(5), "echoed back");
            client.send("pong!\n");
            assertArrayEquals("pong!\n".getBytes(StandardCharsets.US_ASCII), client.readExactly(6));
        }
        EgressTraffic traffic = awaitTraffic();
        assertEquals(new EgressDecision(traffic.decision().client(), SANDBOX, "allowed.test", echo.port(), true,
                EgressDecision.ALLOWED), traffic.decision());
        assertEquals(11, traffic.bytesUp());
        assertEquals(11, traffic.bytesDown());
        assertArrayEquals("ping\npong!\n".getBytes(StandardCharsets.US_ASCII), echo.connections().getFirst().received());
    }

    @Test
    void aConnectToAHostOutsideTheAllowlistIsRefused() throws Exception {
        try (ProxyConnection client = ProxyConnection.open(proxyPort)) {
            client.send("CONNECT denied.test:443 HTTP/1.1\r\nHost: denied.test:443\r\n\r\n");
            ProxyConnection.Response response = client.readResponse();
            assertEquals(403, response.status());
            assertEquals("{\"error\":\"egress to denied.test:443 is not allowed for this sandbox\"}", response.body());
        }
        assertEquals(List.of(EgressDecision.HOST_NOT_ALLOWED), reasons());
    }

    @Test
    void aTlsClientHelloNamingTheConnectHostReachesTheUpstreamUnchanged() throws Exception {
        byte[] hello = ClientHellos.naming("allowed.test");
        try (ProxyConnection client = ProxyConnection.open(proxyPort)) {
            assertTrue(connect(client, "allowed.test", echo.port()).startsWith("HTTP/1.1 200 "));
            client.send(hello);
            byte[] received = Await.until(WAIT, "the upstream has the ClientHello",
                    () -> echo.connections().isEmpty() ? new byte[0] : echo.connections().getFirst().received(),
                    bytes -> bytes.length >= hello.length);
            assertArrayEquals(hello, received);
        }
        assertEquals(List.of(EgressDecision.ALLOWED), reasons());
    }

    @Test
    void aClientHelloNamingAnotherServerIsCutAndAuditedAsDenied() throws Exception {
        try (ProxyConnection client = ProxyConnection.open(proxyPort)) {
            assertTrue(connect(client, "allowed.test", echo.port()).startsWith("HTTP/1.1 200 "));
            client.send(ClientHellos.naming("denied.test"));
            assertTrue(client.endedByProxy());
        }
        EgressDecision decision = Await.until(WAIT, "the decision is audited", audit::decisions, d -> !d.isEmpty()).getFirst();
        assertEquals(new EgressDecision(decision.client(), SANDBOX, "allowed.test", echo.port(), false,
                EgressDecision.SNI_MISMATCH + ": denied.test"), decision);
        EchoUpstream.Connection upstream = Await.until(WAIT, "the upstream connection is closed",
                () -> echo.connections().stream().findFirst().orElse(null), c -> c != null && c.ended());
        assertEquals(0, upstream.received().length, "not one byte of the ClientHello went up");
        assertEquals(List.of(), audit.traffic());
    }

    @Test
    void aTunnelWhoseClientSendsNothingIsClosedAfterTheClientHelloTimeout() throws Exception {
        EgressProxySettings defaults = EgressProxySettings.defaults().withLoopbackAllowed();
        int port = startProxy(new EgressProxySettings(defaults.blockedCidrs(), false, defaults.connectTimeout(),
                Duration.ofMillis(300), defaults.idleTimeout()));
        try (ProxyConnection client = ProxyConnection.open(port)) {
            assertTrue(connect(client, "allowed.test", echo.port()).startsWith("HTTP/1.1 200 "));
            assertTrue(client.endedByProxy()); // after 300 ms; the read would time out after 10 s
        }
        // Audited as the connection closes, so possibly just after the client saw it close.
        assertEquals(List.of(EgressDecision.CLOSED_UNDECIDED),
                Await.until(WAIT, "the decision is audited", this::reasons, r -> !r.isEmpty()));
        assertEquals(List.of(), audit.traffic());
    }

    @Test
    void aClientThatIsNoKnownSandboxIsDeniedEverything() throws Exception {
        InetAddress stranger = InetAddress.getByName("127.0.0.2");
        try (ProxyConnection client = ProxyConnection.open(proxyPort, stranger)) {
            client.send("CONNECT allowed.test:443 HTTP/1.1\r\nHost: allowed.test:443\r\n\r\n");
            assertEquals(403, client.readResponse().status());
        }
        EgressDecision decision = audit.decisions().getFirst();
        assertEquals(stranger, decision.client().getAddress());
        assertNull(decision.sandboxId());
        assertFalse(decision.allowed());
        assertEquals(EgressDecision.UNKNOWN_CLIENT, decision.reason());
    }

    @Test
    void aConnectToAnIpLiteralIsDenied() throws Exception {
        assertEquals(403, refusedConnect("127.0.0.1", echo.port()));
        assertEquals(List.of(EgressDecision.IP_LITERAL), reasons());
        assertEquals(List.of(), echo.connections());
    }

    @Test
    void aNameResolvingToABlockedAddressIsDenied() throws Exception {
        assertEquals(403, refusedConnect("internal.test", echo.port()));
        assertEquals(List.of(EgressDecision.BLOCKED_ADDRESS + ": 127.0.0.2 (in 127.0.0.2/32)"), reasons());
    }

    @Test
    void aPortOutsideThePolicyIsDenied() throws Exception {
        assertEquals(403, refusedConnect("allowed.test", 25));
        assertEquals(List.of(EgressDecision.PORT_NOT_ALLOWED), reasons());
    }

    @Test
    void anUpstreamThatRefusesTheConnectionIsABadGateway() throws Exception {
        assertEquals(502, refusedConnect("allowed.test", closedPort));
        List<String> reasons = reasons();
        assertEquals(1, reasons.size());
        assertTrue(reasons.getFirst().startsWith(EgressDecision.UPSTREAM_FAILED), reasons.getFirst());
    }

    @Test
    void anOriginFormRequestIsNoProxyRequest() throws Exception {
        try (ProxyConnection client = ProxyConnection.open(proxyPort)) {
            client.send("GET /hello HTTP/1.1\r\nHost: allowed.test\r\n\r\n");
            assertEquals(400, client.readResponse().status());
        }
        assertEquals(List.of(), audit.decisions(), "no destination, nothing to audit");
    }

    private ProxyConnection.Response plainGet(String host, int port) throws IOException {
        try (ProxyConnection client = ProxyConnection.open(proxyPort)) {
            client.send("GET http://" + host + ":" + port + "/ HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
            return client.readResponse();
        }
    }

    private static String connect(ProxyConnection client, String host, int port) throws IOException {
        client.send("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
        return client.readHead();
    }

    private int refusedConnect(String host, int port) throws IOException {
        try (ProxyConnection client = ProxyConnection.open(proxyPort)) {
            client.send("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
            return client.readResponse().status();
        }
    }

    /** The reasons audited so far: a refusal is audited before the client is answered. */
    private List<String> reasons() {
        return audit.decisions().stream().map(EgressDecision::reason).toList();
    }

    private InetSocketAddress decisionClient() {
        return audit.decisions().getFirst().client(); // its port is the client's ephemeral one
    }

    private EgressTraffic awaitTraffic() throws Exception {
        return Await.until(WAIT, "the traffic is audited", audit::traffic, t -> !t.isEmpty()).getFirst();
    }
}
