package io.liteboxd.api.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.Replicas;
import io.liteboxd.api.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Template updates racing on two API replicas over one Postgres: every one succeeds and gets a
 * version number of its own (they queue on an advisory lock instead of colliding on
 * UNIQUE(template_id, version)); creates of one name: one 201, the rest 409.
 */
@EnabledIfEnvironmentVariable(named = TestPostgres.VARIABLE, matches = ".+")
class TemplateReplicasTest {

    static final int UPDATES = 10;

    @Test
    void racingWritesOnTwoReplicasNeitherFailNorCollide() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase("TemplateReplicasTest");
        List<EmbeddedServer> replicas = Replicas.startTogether(2, database,
                Map.of("admin.initial.password", "template-replicas"));
        List<HttpClient> clients = replicas.stream().map(r -> HttpClient.create(r.getURL())).toList();
        try {
            List<ApiClient> apis = clients.stream().map(c -> new ApiClient(c, "admin", "template-replicas")).toList();
            Map<String, Object> spec = Map.of("image", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");

            List<HttpStatus> creates = race(UPDATES, i -> apis.get(i % 2).send(
                    HttpRequest.POST("/api/v1/templates", Map.of("name", "shared", "spec", spec))).status());
            assertEquals(1, creates.stream().filter(HttpStatus.CREATED::equals).count(), creates.toString());
            assertEquals(UPDATES - 1, creates.stream().filter(HttpStatus.CONFLICT::equals).count(), creates.toString());

            List<HttpStatus> updates = race(UPDATES, i -> apis.get(i % 2).send(HttpRequest.PUT(
                    "/api/v1/templates/shared", Map.of("spec", spec, "changelog", "update " + i))).status());
            assertEquals(List.of(HttpStatus.OK), updates.stream().distinct().toList(), updates.toString());

            List<?> versions = (List<?>) apis.get(0).send(HttpRequest.GET("/api/v1/templates/shared/versions")).map()
                    .get("items");
            List<Integer> numbers = versions.stream().map(v -> (Integer) ((Map<?, ?>) v).get("version")).sorted().toList();
            assertEquals(IntStream.rangeClosed(1, UPDATES + 1).boxed().toList(), numbers);
            assertEquals(UPDATES + 1,
                    apis.get(1).send(HttpRequest.GET("/api/v1/templates/shared")).map().get("latestVersion"));
        } finally {
            clients.forEach(HttpClient::close);
            Replicas.stop(replicas);
        }
    }

    interface Call {
        HttpStatus send(int i) throws Exception;
    }

    static List<HttpStatus> race(int count, Call call) throws Exception {
        CyclicBarrier together = new CyclicBarrier(count);
        List<Future<HttpStatus>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                int n = i;
                results.add(threads.submit(() -> {
                    together.await();
                    return call.send(n);
                }));
            }
        }
        List<HttpStatus> statuses = new ArrayList<>();
        for (Future<HttpStatus> result : results) {
            statuses.add(result.get());
        }
        return statuses;
    }
}
