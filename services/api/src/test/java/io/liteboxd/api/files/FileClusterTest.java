package io.liteboxd.api.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.sandbox.ClusterTestNamespace;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * File upload and download against a real sandbox pod: large binary round trips byte for byte,
 * missing directories are created, bad paths and oversize bodies are refused and leave nothing.
 * The raw requests go through the JDK client so bodies stream from and to disk.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class FileClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    static final long LIMIT = 120L << 20;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
    ApiClient api;
    String id;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Map<String, String> clusterProperties() {
        // The server's own limits sit well above ours here, so that the test reaches the streaming
        // count (in production they are equal and the server usually answers the 413 itself).
        return Map.of("liteboxd.files.max-upload-bytes", Long.toString(LIMIT),
                "micronaut.server.max-request-size", Long.toString(2 * LIMIT),
                "micronaut.server.multipart.max-file-size", Long.toString(2 * LIMIT));
    }

    @BeforeAll
    void startSandbox() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        id = ClusterTestNamespace.runningSandbox(api, "files", List.of("sleep", "infinity"),
                Map.of("resources", Map.of("cpu", "1", "memory", "256Mi")));
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    @Test
    void aLargeBinaryFileRoundTripsByteForByte() throws Exception {
        Path local = Files.createTempFile("lbx-upload", ".bin");
        byte[] block = new byte[1 << 20];
        new Random(42).nextBytes(block);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (var out = Files.newOutputStream(local)) {
            for (int i = 0; i < 100; i++) {
                block[i] ^= (byte) i; // no two MiB alike
                out.write(block);
                sent.update(block);
            }
            out.write(block, 0, 12345);
            sent.update(block, 0, 12345);
        }
        String expected = HexFormat.of().formatHex(sent.digest());
        String target = "/workspace/deep/new/dir/big.bin";

        HttpResponse<String> upload = upload(target, Files.newInputStream(local), Files.size(local));
        assertEquals(200, upload.statusCode(), upload.body());
        assertEquals(Map.of("message", "file uploaded successfully"), json.readValue(upload.body(), Map.class));
        Files.delete(local);
        assertEquals(expected + "  " + target + "\n", exec("sha256sum", target),
                "the sandbox has exactly the bytes sent, in a directory that did not exist");
        assertEquals("", exec("sh", "-c", "ls -a /workspace/deep/new/dir | grep lbx-upload || true"),
                "no temporary file is left behind");

        HttpResponse<InputStream> download = download(target);
        assertEquals(200, download.statusCode());
        assertEquals("attachment; filename=\"big.bin\"; filename*=UTF-8''big.bin",
                download.headers().firstValue("content-disposition").orElseThrow());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long size;
        try (InputStream body = new DigestInputStream(download.body(), received)) {
            size = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertEquals(100L * (1 << 20) + 12345, size);
        assertEquals(expected, HexFormat.of().formatHex(received.digest()));

        // A client that gives up half-way must not leave the sandbox's reader behind.
        HttpResponse<InputStream> abandoned = download(target);
        abandoned.body().readNBytes(1 << 20);
        abandoned.body().close();
        Await.until(Duration.ofSeconds(30), "the sandbox no longer runs cat for an abandoned download",
                () -> !exec("sh", "-c", "ps -eo args | grep -c '^cat -- " + target + "' || true").trim().equals("1"));
    }

    @Test
    void smallAndEmptyFilesAndUnicodeNames() throws Exception {
        byte[] text = "grüße ✓\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, upload("/workspace/grüße.txt", new java.io.ByteArrayInputStream(text), text.length).statusCode());
        HttpResponse<InputStream> download = download("/workspace/grüße.txt");
        assertArrayEquals(text, download.body().readAllBytes());
        assertEquals("attachment; filename=\"gr__e.txt\"; filename*=UTF-8''gr%C3%BC%C3%9Fe.txt",
                download.headers().firstValue("content-disposition").orElseThrow());

        assertEquals(200, upload("/workspace/empty", InputStream.nullInputStream(), 0).statusCode());
        HttpResponse<InputStream> empty = download("/workspace/empty");
        assertEquals(200, empty.statusCode());
        assertEquals(0, empty.body().readAllBytes().length);
    }

    @Test
    void badPathsAreRefused() throws Exception {
        Map<String, String> uploads = Map.of(
                "/workspace/../etc/passwd", "path must not contain '..'",
                "relative/file.txt", "path must be absolute",
                "/workspace/dir/", "path must name a file, not a directory",
                "/workspace", "path is a directory");
        for (var entry : uploads.entrySet()) {
            HttpResponse<String> reply = upload(entry.getKey(), new java.io.ByteArrayInputStream(new byte[] {1}), 1);
            assertEquals(400, reply.statusCode(), entry.getKey());
            assertEquals(Map.of("error", entry.getValue()), json.readValue(reply.body(), Map.class), entry.getKey());
        }
        assertEquals("", exec("sh", "-c", "ls /etc/passwd.lbx-upload* /workspace/relative 2>/dev/null || true"));
        HttpResponse<String> noFile = multipart("--b\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n/workspace/x\r\n--b--\r\n");
        assertEquals(400, noFile.statusCode(), noFile.body());
        HttpResponse<String> pathless = multipart("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nabc\r\n--b--\r\n");
        assertEquals(400, pathless.statusCode(), pathless.body());
        assertEquals(Map.of("error", "path is required"), json.readValue(pathless.body(), Map.class));
        HttpResponse<InputStream> missing = download("/workspace/nope.txt");
        assertEquals(404, missing.statusCode());
        assertEquals(Map.of("error", "file not found"), json.readValue(missing.body(), Map.class));
        HttpResponse<InputStream> directory = download("/workspace");
        assertEquals(400, directory.statusCode());
        assertEquals(Map.of("error", "path is a directory"), json.readValue(directory.body(), Map.class));
        Reply noPath = api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + "/files"));
        assertEquals(Map.of("error", "path is required"), noPath.body());
    }

    @Test
    void anOversizeUploadIsRefusedAndLeavesNothing() throws Exception {
        // No Content-Length (chunked), so only the streaming byte count can catch it.
        InputStream endless = new InputStream() {
            long left = LIMIT + (5 << 20);

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        HttpResponse<String> reply = upload("/workspace/over.bin", endless, -1);
        assertEquals(413, reply.statusCode(), reply.body());
        assertEquals(Map.of("error", "file exceeds the upload limit of " + LIMIT + " bytes"),
                json.readValue(reply.body(), Map.class));
        assertEquals("", exec("sh", "-c", "ls /workspace | grep over || true"), "neither the file nor its temporary");
    }

    private String exec(String... command) {
        Reply reply = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec", Map.of("command", List.of(command))));
        assertEquals(0, reply.map().get("exit_code"), String.valueOf(reply.body()));
        return (String) reply.map().get("stdout");
    }

    /** A multipart body with {@code path} first, then {@code file}; {@code size} < 0 sends it chunked. */
    private HttpResponse<String> upload(String path, InputStream content, long size) throws IOException, InterruptedException {
        String boundary = "lbx" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n" + path + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        InputStream body = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new java.io.ByteArrayInputStream(head), content, new java.io.ByteArrayInputStream(tail))));
        var publisher = size < 0
                ? BodyPublishers.ofInputStream(() -> body)
                : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> body), head.length + size + tail.length);
        var request = java.net.http.HttpRequest.newBuilder(uri("/files"))
                .header("Authorization", "Bearer " + api.apiKey())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(publisher).build();
        return jdk.send(request, BodyHandlers.ofString());
    }

    /** A hand-written multipart body (boundary {@code b}), for requests that lack a part. */
    private HttpResponse<String> multipart(String body) throws IOException, InterruptedException {
        return jdk.send(java.net.http.HttpRequest.newBuilder(uri("/files"))
                .header("Authorization", "Bearer " + api.apiKey())
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
    }

    private HttpResponse<InputStream> download(String path) throws IOException, InterruptedException {
        var request = java.net.http.HttpRequest.newBuilder(
                        uri("/files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + api.apiKey()).GET().build();
        return jdk.send(request, BodyHandlers.ofInputStream());
    }

    private URI uri(String suffix) {
        return URI.create("http://localhost:" + server.getPort() + "/api/v1/sandboxes/" + id + suffix);
    }
}
