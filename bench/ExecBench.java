// Exec and file-transfer benchmark, run by bench/exec.sh with the API's jar on the class path
// (java's source launcher; nothing here is part of the product).
//
// Exec: POST /api/v1/sandboxes/{id}/exec of `true` through the API, against the same exec made
// directly with the official client's io.kubernetes.client.Exec (the floor), alternating so both
// see the same machine state. Files: one upload and one download of SIZE_MIB through the API.
import io.kubernetes.client.Exec;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

public class ExecBench {

    static final int WARMUP = 20;
    static final int CALLS = 200;
    static final int SIZE_MIB = 256;

    public static void main(String[] args) throws Exception {
        String api = args[0], key = args[1], sandbox = args[2], namespace = args[3];
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ApiClient kube = Config.defaultClient();
        kube.setReadTimeout(0);
        Exec direct = new Exec(kube);
        String pod = "sandbox-" + sandbox;
        HttpRequest viaApi = HttpRequest.newBuilder(URI.create(api + "/api/v1/sandboxes/" + sandbox + "/exec"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"command\":[\"true\"]}")).build();

        long[] apiTimes = new long[CALLS];
        long[] floorTimes = new long[CALLS];
        for (int i = -WARMUP; i < CALLS; i++) {
            long t0 = System.nanoTime();
            var response = http.send(viaApi, BodyHandlers.ofString());
            long t1 = System.nanoTime();
            if (response.statusCode() != 200 || !response.body().contains("\"exit_code\":0")) {
                throw new IllegalStateException("API exec failed: " + response.statusCode() + " " + response.body());
            }
            Process process = direct.exec(namespace, pod, new String[] {"true"}, "main", false, false);
            process.getInputStream().readAllBytes();
            int code = process.waitFor();
            long t2 = System.nanoTime();
            process.destroy();
            if (code != 0) {
                throw new IllegalStateException("direct exec exited " + code);
            }
            if (i >= 0) {
                apiTimes[i] = t1 - t0;
                floorTimes[i] = t2 - t1;
            }
        }
        row("API: POST /sandboxes/{id}/exec `true`", apiTimes);
        row("floor: client-java Exec `true` (same run)", floorTimes);
        System.out.printf("| ratio of p50s (API / floor) | | %.2f× | | | |%n",
                (double) pct(apiTimes, 50) / pct(floorTimes, 50));

        long bytes = (long) SIZE_MIB << 20;
        String boundary = "lbxbench";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n/workspace/bench.bin\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
                new java.io.ByteArrayInputStream(head), new Zeros(bytes), new java.io.ByteArrayInputStream(tail))));
        long u0 = System.nanoTime();
        var upload = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/sandboxes/" + sandbox + "/files"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> body),
                        head.length + bytes + tail.length)).build(), BodyHandlers.ofString());
        long u1 = System.nanoTime();
        if (upload.statusCode() != 200) {
            throw new IllegalStateException("upload failed: " + upload.body());
        }
        var download = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/sandboxes/" + sandbox
                + "/files?path=/workspace/bench.bin")).header("Authorization", "Bearer " + key).build(),
                BodyHandlers.ofInputStream());
        long received;
        try (InputStream in = download.body()) {
            received = in.transferTo(OutputStream.nullOutputStream());
        }
        long d1 = System.nanoTime();
        if (received != bytes) {
            throw new IllegalStateException("downloaded " + received + " of " + bytes + " bytes");
        }
        System.out.printf("| upload %d MiB through the API | 1 | %.0f MiB/s | | | |%n", SIZE_MIB, SIZE_MIB / ((u1 - u0) / 1e9));
        System.out.printf("| download %d MiB through the API | 1 | %.0f MiB/s | | | |%n", SIZE_MIB, SIZE_MIB / ((d1 - u1) / 1e9));
        System.exit(0); // client-java leaves non-daemon OkHttp threads behind
    }

    static void row(String what, long[] nanos) {
        System.out.printf("| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", what, nanos.length, pct(nanos, 50) / 1e6,
                pct(nanos, 99) / 1e6, Arrays.stream(nanos).min().orElse(0) / 1e6, Arrays.stream(nanos).max().orElse(0) / 1e6);
    }

    static long pct(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** n zero bytes without holding them in memory. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long n) {
            left = n;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
