package io.liteboxd.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: the gateway's main in its own JVM, stopped the way the kubelet stops it
 * (SIGTERM). It must drain and exit with 0; 143 would mean the JVM's default handler ran and
 * nothing was drained. The bounds are generous because they only catch a hang.
 */
class SigtermExitTest {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

    @Test
    void drainsAndExitsWithZeroOnSigterm(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path output = dir.resolve("gateway.out");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dmicronaut.server.port=" + port,
                // The production JSON logging (logback-test.xml would otherwise win on this classpath).
                "-Dlogback.configurationFile=logback.xml",
                "-Dliteboxd.drain.timeout=20s",
                "-Dliteboxd.kubernetes.enabled=false", // no cluster in this test: no pod cache
                GatewayApplication.class.getName());
        // Output to a file: a pipe nobody reads could fill up and block the child.
        Process gateway = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            awaitReady(gateway, port, output);

            gateway.destroy(); // SIGTERM on Linux

            assertTrue(gateway.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS),
                    () -> "still running after SIGTERM:\n" + read(output));
            String log = read(output);
            assertEquals(0, gateway.exitValue(), () -> "exit status after SIGTERM:\n" + log);
            String finished = log.lines().filter(line -> line.contains("drain finished")).findFirst()
                    .orElseThrow(() -> new AssertionError("no drain log line:\n" + log));
            assertTrue(finished.startsWith("{") && finished.contains("\"level\":\"INFO\""),
                    () -> "the drain line is a JSON log record: " + finished);
        } finally {
            gateway.destroyForcibly();
        }
    }

    private static void awaitReady(Process gateway, int port, Path output) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            Await.until(START_LIMIT, "the gateway is ready", () -> {
                if (!gateway.isAlive()) {
                    throw new AssertionError("the gateway exited with " + gateway.exitValue() + " before it was ready");
                }
                try {
                    return http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (ConnectException | java.net.http.HttpTimeoutException notYet) {
                    return false; // still starting
                }
            });
        } catch (AssertionError notReady) {
            throw new AssertionError(notReady.getMessage() + ":\n" + read(output), notReady);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path output) {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(cannot read the output: " + e + ")";
        }
    }
}
