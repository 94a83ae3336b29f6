package io.liteboxd.egress.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service boots, answers its probes, and runs the proxy with its audit, metrics and recent list. */
@MicronautTest
class EgressApplicationTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    ProxyLifecycle proxy;

    @Test
    void answersItsProbes() {
        assertEquals(Map.of("status", "ok", "service", "egress"), client.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class));
        assertEquals(Map.of("status", "ok", "service", "egress"), client.toBlocking().retrieve(HttpRequest.GET("/health"), Map.class));
    }

    @Test
    void servesItsMetricsBeforeAnyRequest() {
        String metrics = client.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
        for (String series : List.of("liteboxd_egress_requests_total{decision=\"allowed\",reason=\"allowed\"}",
                "liteboxd_egress_bytes_up_total", "liteboxd_egress_bytes_down_total", "liteboxd_egress_tunnels_open",
                "liteboxd_draining")) {
            assertTrue(metrics.contains(series), () -> "no " + series + " in:\n" + metrics);
        }
    }

    @Test
    void aDeniedRequestIsAnsweredCountedAndListed() throws Exception {
        String answer = connect("127.0.0.1", "evil.example:443");
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);

        Map<?, ?> recent = Await.until(Duration.ofSeconds(10), "the decision in /egress/recent",
                () -> client.toBlocking().retrieve(HttpRequest.GET("/egress/recent?sandbox=" + FixedPolicies.SANDBOX), Map.class),
                r -> ((List<?>) r.get("decisions")).stream().anyMatch(d -> "evil.example".equals(((Map<?, ?>) d).get("host"))));
        Map<?, ?> decision = (Map<?, ?>) ((List<?>) recent.get("decisions")).stream()
                .filter(d -> "evil.example".equals(((Map<?, ?>) d).get("host"))).findFirst().orElseThrow();
        assertEquals("denied", decision.get("decision"));
        assertEquals("host not in allowlist", decision.get("reason"));
        assertEquals(443, decision.get("port"));

        String metrics = client.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
        assertTrue(metrics.contains("liteboxd_egress_requests_total{decision=\"denied\",reason=\"host not in allowlist\"}"),
                metrics);
        Map<?, ?> other = client.toBlocking().retrieve(HttpRequest.GET("/egress/recent?sandbox=ffffffff"), Map.class);
        assertEquals(List.of(), other.get("decisions"), "another sandbox's list is its own");
    }

    @Test
    void anUnknownClientIsDeniedEverything() throws Exception {
        String answer = connect("127.0.0.2", "pypi.org:443");
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
    }

    /** A CONNECT from {@code from} (127.0.0.2 plays a pod that is no sandbox); the proxy's answer head. */
    private String connect(String from, String target) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
