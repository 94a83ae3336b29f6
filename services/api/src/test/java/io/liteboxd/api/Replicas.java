package io.liteboxd.api;

import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * API replicas on one Postgres database: each a whole application context with its own server,
 * pool and data directory, as a second pod is. Started side by side, as a Deployment starts them.
 */
public final class Replicas {

    private Replicas() {}

    public static EmbeddedServer start(TestPostgres.Database database, Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("liteboxd.kubernetes.enabled", "false");
        properties.put("micronaut.server.port", "-1");
        try {
            properties.put("liteboxd.data-dir", Files.createTempDirectory("liteboxd-replica").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.putAll(database.properties());
        properties.putAll(extra);
        return ApplicationContext.run(EmbeddedServer.class, properties, DatabaseMode.POSTGRES_ENVIRONMENT);
    }

    /** {@code count} replicas whose starts are released at the same moment. */
    public static List<EmbeddedServer> startTogether(int count, TestPostgres.Database database,
                                                     Map<String, String> extra) throws Exception {
        CyclicBarrier together = new CyclicBarrier(count);
        List<Future<EmbeddedServer>> starting = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                starting.add(threads.submit(() -> {
                    together.await();
                    return start(database, extra);
                }));
            }
        }
        List<EmbeddedServer> servers = new ArrayList<>();
        for (Future<EmbeddedServer> server : starting) {
            servers.add(server.get());
        }
        return servers;
    }

    public static Path dataDir(EmbeddedServer server) {
        return Path.of(server.getApplicationContext().getRequiredProperty("liteboxd.data-dir", String.class));
    }

    public static void stop(List<EmbeddedServer> servers) {
        servers.forEach(server -> server.getApplicationContext().close());
    }
}
