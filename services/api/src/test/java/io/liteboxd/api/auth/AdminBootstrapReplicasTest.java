package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.Replicas;
import io.liteboxd.api.TestPostgres;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Two API replicas start at once on one empty Postgres database: one admin, and both start. */
@EnabledIfEnvironmentVariable(named = TestPostgres.VARIABLE, matches = ".+")
class AdminBootstrapReplicasTest {

    @Test
    void twoReplicasStartingTogetherMakeOneAdminWithOnePasswordFile() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase("AdminBootstrapReplicasTest");
        List<EmbeddedServer> replicas = Replicas.startTogether(2, database, Map.of());
        try {
            AdminUserRepository users = replicas.get(0).getApplicationContext().getBean(AdminUserRepository.class);
            assertEquals(1, users.count());
            List<Path> files = replicas.stream()
                    .map(r -> Replicas.dataDir(r).resolve(AdminBootstrap.GENERATED_PASSWORD_FILE))
                    .filter(Files::exists).toList();
            assertEquals(1, files.size(), "the generated password is where the admin was made, only there");
            String password = Files.readString(files.get(0)).strip();
            for (EmbeddedServer replica : replicas) {
                try (HttpClient http = HttpClient.create(replica.getURL())) {
                    new ApiClient(http, "admin", password); // logs in and makes a key, or throws
                }
            }
        } finally {
            Replicas.stop(replicas);
        }
    }
}
