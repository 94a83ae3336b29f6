package io.liteboxd.api.prepull;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.api.template.TemplateException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One active pre-pull per image, decided by the database (no cluster needed for the claim itself). */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepullClaimTest implements SqliteTestDatabase {

    static final Instant T = Instant.parse("2026-02-01T00:00:00Z");

    @Inject
    PrepullClaim claims;

    @Inject
    PrepullRepository prepulls;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "prepull-tests");
    }

    @BeforeEach
    void empty() {
        prepulls.deleteAll();
    }

    @Test
    void ofConcurrentRequestsForOneImageExactlyOneStartsAPull() throws Exception {
        int requests = 16;
        CyclicBarrier together = new CyclicBarrier(requests);
        List<Future<String>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(requests)) {
            for (int i = 0; i < requests; i++) {
                outcomes.add(threads.submit(() -> {
                    together.await();
                    try {
                        return claims.claim("python:3.12", "", T).status();
                    } catch (TemplateException e) {
                        return e.status().getCode() + " " + e.code();
                    }
                }));
            }
        }
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            results.add(outcome.get());
        }
        assertEquals(1, results.stream().filter(Prepull.PENDING::equals).count(), results.toString());
        assertEquals(requests - 1, results.stream().filter("409 PREPULL_IN_PROGRESS"::equals).count(),
                results.toString());
        assertEquals(1, prepulls.list("python:3.12", null).size());
    }

    @Test
    void aFinishedPullMakesRoomForTheNextAndTheListFilters() {
        Prepull first = claims.claim("node:22", "tpl", T);
        prepulls.report(first.id(), "completed", 2, 2, "", T.plusSeconds(30));
        Prepull second = claims.claim("node:22", "", T.plusSeconds(60));
        claims.claim("go:1.23", "", T.plusSeconds(90));

        assertEquals(List.of(second.id()), prepulls.list("node:22", Prepull.PENDING).stream().map(Prepull::id).toList());
        assertEquals(List.of(first.id()), prepulls.list(null, "completed").stream().map(Prepull::id).toList());
        assertEquals(3, prepulls.list(null, null).size(), "no filter");
        Prepull done = prepulls.findById(first.id()).orElseThrow();
        assertEquals(T.plusSeconds(30), done.completedAt());
        assertEquals("tpl", done.template());
    }
}
