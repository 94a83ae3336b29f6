package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.api.Replicas;
import io.liteboxd.api.TestPostgres;
import io.liteboxd.api.error.ApiException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * SANDBOX_MAX_LIVE with two API replicas on one Postgres: creates racing on both never take more
 * places than the cap (count and insert are serialised by an advisory lock across replicas).
 */
@EnabledIfEnvironmentVariable(named = TestPostgres.VARIABLE, matches = ".+")
class SandboxAdmissionReplicasTest {

    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final int CAP = 5;
    static final int CREATES = 24;

    @Test
    void theCapHoldsForCreatesRacingOnTwoReplicas() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase("SandboxAdmissionReplicasTest");
        List<EmbeddedServer> replicas = Replicas.startTogether(2, database,
                Map.of("admin.initial.password", "admission-replicas", "liteboxd.sandbox.limits.max-live",
                        String.valueOf(CAP)));
        try {
            CyclicBarrier together = new CyclicBarrier(CREATES);
            List<Future<Boolean>> admitted = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(CREATES)) {
                for (int i = 0; i < CREATES; i++) {
                    SandboxAdmission admission = replicas.get(i % 2).getApplicationContext()
                            .getBean(SandboxAdmission.class);
                    String id = "race%04d".formatted(i);
                    admitted.add(threads.submit(() -> {
                        together.await();
                        try {
                            admission.admit(SandboxRows.Shape.of(id, "active", "creating", T).row(),
                                    StatusHistory.of(id, "api", "", "creating", "create requested", T));
                            return true;
                        } catch (ApiException e) {
                            return false;
                        }
                    }));
                }
            }
            long places = 0;
            for (Future<Boolean> outcome : admitted) {
                places += outcome.get() ? 1 : 0;
            }
            assertEquals(CAP, places);
            SandboxRepository sandboxes = replicas.get(1).getApplicationContext().getBean(SandboxRepository.class);
            assertEquals(CAP, sandboxes.countLive());
            assertEquals(CAP, replicas.get(0).getApplicationContext().getBean(StatusHistoryRepository.class).count());
        } finally {
            Replicas.stop(replicas);
        }
    }
}
