package io.liteboxd.api.storage.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.Replicas;
import io.liteboxd.api.TestPostgres;
import io.liteboxd.api.auth.Secrets;
import io.liteboxd.api.prepull.Prepull;
import io.liteboxd.api.prepull.PrepullRepository;
import io.liteboxd.api.sandbox.LifecycleStatus;
import io.liteboxd.api.sandbox.Sandbox;
import io.liteboxd.api.sandbox.SandboxRepository;
import io.liteboxd.api.sandbox.StatusHistory;
import io.liteboxd.api.sandbox.StatusHistoryRepository;
import io.liteboxd.api.sandbox.reconcile.ReconcileItem;
import io.liteboxd.api.sandbox.reconcile.ReconcileItemRepository;
import io.liteboxd.api.sandbox.reconcile.ReconcileRun;
import io.liteboxd.api.sandbox.reconcile.ReconcileRunRepository;
import io.liteboxd.api.storage.Migrations;
import io.liteboxd.api.storage.UpstreamFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * SqliteImport into a fresh Postgres database each: an upstream file and one this API wrote end
 * up served by the API in Postgres mode; the source stays as it was; several pods importing at
 * once import once; a database with other data is refused with exit code 2.
 */
@EnabledIfEnvironmentVariable(named = TestPostgres.VARIABLE, matches = ".+")
class SqliteImportTest {

    static final Instant T = Instant.parse("2026-03-01T10:00:00.123456Z");

    static Path upstreamFile() throws Exception {
        Path file = Files.createTempDirectory("lbx-import-source").resolve("liteboxd.db");
        UpstreamFixture.write(file);
        return file;
    }

    static int importInto(TestPostgres.Database database, Path file) {
        return SqliteImport.run(new String[] {file.toString()}, database.env());
    }

    @Test
    void anUpstreamFileIsServedFromPostgresAndTheSourceIsOnlyRead() throws Exception {
        Path file = upstreamFile();
        Map<String, String> before = contents(file.getParent());
        TestPostgres.Database database = TestPostgres.newDatabase("ImportUpstream");

        assertEquals(SqliteImport.IMPORTED, importInto(database, file));

        assertEquals(before, contents(file.getParent()), "the source directory is exactly as it was");
        assertEquals(Map.of("templates", 1L, "template_versions", 1L, "sandboxes", 1L, "admin_users", 1L,
                "api_keys", 1L), nonEmptyCounts(database));
        EmbeddedServer api = Replicas.start(database, Map.of());
        try (HttpClient http = HttpClient.create(api.getURL())) {
            ApiClient admin = new ApiClient(http, "admin", UpstreamFixture.PASSWORD);
            Map<?, ?> template = admin.send(HttpRequest.GET("/api/v1/templates/python")).map();
            assertEquals(List.of("py"), template.get("tags"));
            assertEquals(1, template.get("latestVersion"));
            assertEquals("python:3.12", ((Map<?, ?>) template.get("spec")).get("image"));

            Map<?, ?> page = admin.send(HttpRequest.GET("/api/v1/sandboxes/metadata?id=AB12")).map();
            Map<?, ?> sandbox = (Map<?, ?>) ((List<?>) page.get("items")).get(0);
            assertEquals("ab12cd34", sandbox.get("id"));
            assertEquals("2026-01-02T03:04:05.123456Z", sandbox.get("created_at"), "nanoseconds cut to micro");
            assertEquals("2026-01-02T03:04:05.500Z", sandbox.get("updated_at"));
            assertEquals(1, admin.send(HttpRequest.GET(
                    "/api/v1/sandboxes/metadata?created_from=2026-01-02T03:04:05.123456Z")).map().get("total"));
            assertEquals(0, admin.send(HttpRequest.GET(
                    "/api/v1/sandboxes/metadata?created_to=2026-01-02T03:04:05.123455Z")).map().get("total"));

            Map<?, ?> me = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/auth/me")
                    .bearerAuth(UpstreamFixture.API_KEY), Map.class);
            assertEquals(Map.of("auth_method", "api_key"), me, "upstream's API key still works");
            List<?> keys = (List<?>) admin.sendRaw(HttpRequest.GET("/api/v1/auth/api-keys")
                    .header(HttpHeaders.COOKIE, admin.sessionCookie())).body();
            assertTrue(keys.stream().anyMatch(k -> "cli-host-1".equals(((Map<?, ?>) k).get("name"))
                    && "2026-01-02T03:04:05Z".equals(((Map<?, ?>) k).get("created_at"))), keys.toString());
        } finally {
            api.getApplicationContext().close();
        }
    }

    @Test
    void aFileThisApiWroteKeepsEveryTableIdAndCredential() throws Exception {
        Path dataDir = Files.createTempDirectory("lbx-import-api");
        String apiKey;
        List<Long> historyIds = new ArrayList<>();
        EmbeddedServer sqlite = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "liteboxd.kubernetes.enabled", "false", "micronaut.server.port", "-1",
                "liteboxd.data-dir", dataDir.toString(), "admin.initial.password", "sqlite-era"));
        try (HttpClient http = HttpClient.create(sqlite.getURL())) {
            ApiClient api = new ApiClient(http, "admin", "sqlite-era");
            apiKey = api.apiKey();
            Map<String, Object> spec = Map.of("image", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");
            api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "py", "tags", List.of("Lang"), "spec", spec)));
            api.send(HttpRequest.PUT("/api/v1/templates/py", Map.of("spec", spec, "changelog", "second")));
            api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "go", "spec", spec)));
            ApplicationContext context = sqlite.getApplicationContext();
            SandboxRepository sandboxes = context.getBean(SandboxRepository.class);
            StatusHistoryRepository history = context.getBean(StatusHistoryRepository.class);
            for (int i = 0; i < 3; i++) {
                String id = "abcd000" + i;
                sandboxes.save(sandbox(id, i == 2));
                historyIds.add(history.save(StatusHistory.of(id, "api", "", "creating", "create requested", T)).id());
            }
            ReconcileRun run = context.getBean(ReconcileRunRepository.class).save(
                    new ReconcileRun("rec-00000001", "manual", T, T.plusSeconds(1), 3, 2, 1, 1, "completed", ""));
            ReconcileItemRepository items = context.getBean(ReconcileItemRepository.class);
            items.save(new ReconcileItem(null, run.id(), "abcd0002", "missing_in_k8s", "mark_lost", "", T));
            items.save(new ReconcileItem(null, run.id(), "abcd0001", "status_mismatch", "none", "", T));
            context.getBean(PrepullRepository.class).save(new Prepull("pp-00000001", "python:3.12", "abc", "completed",
                    1, 1, "", "py", T, T.plusSeconds(5)));
        } finally {
            sqlite.getApplicationContext().close();
        }
        Path file = dataDir.resolve("liteboxd.db");
        Map<String, Long> sqliteCounts = sqliteCounts(file);
        TestPostgres.Database database = TestPostgres.newDatabase("ImportCurrent");

        assertEquals(SqliteImport.IMPORTED, importInto(database, file));

        assertEquals(sqliteCounts, nonEmptyCounts(database));
        EmbeddedServer api = Replicas.start(database, Map.of("admin.initial.password", "ignored-the-admin-exists"));
        try (HttpClient http = HttpClient.create(api.getURL())) {
            ApiClient admin = new ApiClient(http, "admin", "sqlite-era");
            Map<?, ?> templates = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/templates?tag=lang")
                    .bearerAuth(apiKey), Map.class);
            assertEquals(1, templates.get("total"), "the SQLite-era API key works; tags match case-insensitively");
            assertEquals(2, ((Map<?, ?>) ((List<?>) templates.get("items")).get(0)).get("latestVersion"));
            assertEquals(2, admin.send(HttpRequest.GET("/api/v1/templates/py/versions")).map().get("total"));
            assertEquals(3, admin.send(HttpRequest.GET("/api/v1/sandboxes/metadata")).map().get("total"));
            assertEquals(List.of("abcd0002"), ids(admin.send(HttpRequest.GET(
                    "/api/v1/sandboxes/metadata?deleted_from=2026-03-01T10:00:00Z")).map()));
            Map<?, ?> run = admin.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs/rec-00000001")).map();
            assertEquals(2, ((List<?>) run.get("items")).size());

            ApplicationContext context = api.getApplicationContext();
            StatusHistoryRepository history = context.getBean(StatusHistoryRepository.class);
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of(historyIds.get(i)),
                        history.page("abcd000" + i, 0, 10).stream().map(StatusHistory::id).toList(), "ids kept");
            }
            long next = history.save(StatusHistory.of("abcd0000", "api", "creating", "failed", "later", T)).id();
            assertEquals(historyIds.stream().mapToLong(Long::longValue).max().orElseThrow() + 1, next,
                    "the identity goes on after the copied ids");
            Prepull prepull = context.getBean(PrepullRepository.class).findById("pp-00000001").orElseThrow();
            assertEquals(T.plusSeconds(5), prepull.completedAt());
        } finally {
            api.getApplicationContext().close();
        }
    }

    @Test
    void podsImportingAtOnceImportOnceAndAgainIsANoOp() throws Exception {
        Path file = upstreamFile();
        TestPostgres.Database database = TestPostgres.newDatabase("ImportConcurrent");
        int pods = 3;
        CyclicBarrier together = new CyclicBarrier(pods);
        List<Future<Integer>> exits = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(pods)) {
            for (int i = 0; i < pods; i++) {
                exits.add(threads.submit(() -> {
                    together.await();
                    return importInto(database, file);
                }));
            }
        }
        for (Future<Integer> exit : exits) {
            assertEquals(SqliteImport.IMPORTED, exit.get());
        }
        Map<String, Long> once = nonEmptyCounts(database);
        assertEquals(1L, once.get("admin_users"));
        assertEquals(1L, count(database, "liteboxd_sqlite_import"));

        assertEquals(SqliteImport.IMPORTED, importInto(database, file));
        assertEquals(once, nonEmptyCounts(database));
    }

    @Test
    void aDatabaseHoldingDataNoImportWroteIsRefusedWithExitCode2() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase("ImportRefused");
        Replicas.start(database, Map.of("admin.initial.password", "already-running")).getApplicationContext().close();

        assertEquals(SqliteImport.REFUSED, importInto(database, upstreamFile()));

        assertEquals(Map.of("admin_users", 1L), nonEmptyCounts(database));
        assertEquals(0L, count(database, "liteboxd_sqlite_import"));
    }

    @Test
    void committedWritesStillInTheWalAreImported() throws Exception {
        Path file = upstreamFile();
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = writer.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA wal_autocheckpoint=0");
            statement.execute("INSERT INTO templates (id, name) VALUES ('tpl-0000wal1', 'only-in-the-wal')");
            assertTrue(Files.size(file.resolveSibling("liteboxd.db-wal")) > 0, "the row is in the WAL, not the file");
            TestPostgres.Database database = TestPostgres.newDatabase("ImportWal");

            assertEquals(SqliteImport.IMPORTED, importInto(database, file));

            assertEquals(2L, nonEmptyCounts(database).get("templates"));
        }
    }

    @Test
    void upstreamOrphansAreLeftOutAndUnknownTablesStopTheImport() throws Exception {
        Path file = upstreamFile();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = db.createStatement()) {
            // Upstream ran without foreign keys: versions of a deleted template, sessions of a gone user.
            statement.execute("INSERT INTO template_versions (id, template_id, version, spec) "
                    + "VALUES ('ver-orphan01', 'tpl-deleted1', 1, '{}')");
            statement.execute("INSERT INTO sessions (id, user_id, expires_at) VALUES ('s-orphan', 'u-gone', "
                    + "'2026-01-03 00:00:00')");
        }
        TestPostgres.Database database = TestPostgres.newDatabase("ImportOrphans");
        assertEquals(SqliteImport.IMPORTED, importInto(database, file));
        assertEquals(1L, nonEmptyCounts(database).get("template_versions"));
        assertNull(nonEmptyCounts(database).get("sessions"));

        Path unknown = upstreamFile();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + unknown);
             Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE sandbox_snapshots (id TEXT PRIMARY KEY)");
        }
        TestPostgres.Database other = TestPostgres.newDatabase("ImportUnknown");
        assertEquals(SqliteImport.FAILED, importInto(other, unknown));
        assertEquals(Map.of(), nonEmptyCounts(other), "nothing written");
        assertEquals(0L, count(other, "liteboxd_sqlite_import"));
    }

    @Test
    void wrongArgumentsAndAMissingFileFailWithExitCode1AndWriteNothing() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase("ImportFailures");
        assertEquals(SqliteImport.FAILED, SqliteImport.run(new String[0], database.env()));
        assertEquals(SqliteImport.FAILED, SqliteImport.run(new String[] {"/nonexistent/liteboxd.db"}, database.env()));
        assertEquals(SqliteImport.FAILED, SqliteImport.run(new String[] {upstreamFile().toString()}, Map.of()));
        try (Connection db = database.connect(); Statement statement = db.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")) {
            tables.next();
            assertEquals(0, tables.getInt(1), "not even migrated");
        }
    }

    @Test
    void theMainClassExitsWithTheOutcome() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase("ImportMain");
        Path file = upstreamFile();
        assertEquals(SqliteImport.IMPORTED, main(database, file.toString()));
        assertEquals(SqliteImport.IMPORTED, main(database, file.toString()), "already imported");
        assertEquals(SqliteImport.FAILED, main(database));
    }

    @Test
    void theTableListIsExactlyTheSchemasDataTables() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase("ImportTables");
        Flyway.configure().dataSource(database.url(), database.username(), database.password())
                .locations(Migrations.POSTGRES.toArray(String[]::new)).load().migrate();
        Set<String> postgres = new HashSet<>();
        try (Connection db = database.connect(); Statement statement = db.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
            while (tables.next()) {
                postgres.add(tables.getString(1));
            }
        }
        postgres.removeAll(ImportedTables.NOT_DATA);
        assertEquals(ImportedTables.names(), postgres);

        Path file = Files.createTempDirectory("lbx-import-tables").resolve("liteboxd.db");
        Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations(Migrations.SQLITE.toArray(String[]::new)).load().migrate();
        Set<String> sqlite = new HashSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = db.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
            while (tables.next()) {
                sqlite.add(tables.getString(1));
            }
        }
        sqlite.removeAll(ImportedTables.NOT_DATA);
        assertEquals(ImportedTables.names(), sqlite);
    }

    /** SqliteImport as the chart runs it: a JVM of its own; its exit code. */
    static int main(TestPostgres.Database database, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SqliteImport.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(database.env());
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "SqliteImport did not end");
        return process.exitValue();
    }

    static Sandbox sandbox(String id, boolean deleted) {
        return Sandbox.builder().id(id).template("py", 1).image("img").resources("500m", "512Mi").ttl(60)
                .state(deleted ? "deleted" : "active", deleted ? LifecycleStatus.DELETED : LifecycleStatus.RUNNING)
                .pod("ns", "sandbox-" + id).token("c2VhbGVk", "bm9uY2U=", "v1", Secrets.sha256Hex(id))
                .accessUrl("http://gw/" + id).times(T, T.plusSeconds(60))
                .deleted(deleted ? T.plusSeconds(30) : null, deleted ? "completed" : "").volume("", "").build();
    }

    static List<String> ids(Map<?, ?> page) {
        return ((List<?>) page.get("items")).stream().map(m -> (String) ((Map<?, ?>) m).get("id")).toList();
    }

    /** Rows per imported table, tables without rows left out. */
    static Map<String, Long> nonEmptyCounts(TestPostgres.Database database) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : ImportedTables.names()) {
            long rows = count(database, table);
            if (rows > 0) {
                counts.put(table, rows);
            }
        }
        return counts;
    }

    static long count(TestPostgres.Database database, String table) throws Exception {
        try (Connection db = database.connect()) {
            return TableCopy.count(db, table);
        }
    }

    static Map<String, Long> sqliteCounts(Path file) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (String table : ImportedTables.names()) {
                long rows = TableCopy.count(db, table);
                if (rows > 0) {
                    counts.put(table, rows);
                }
            }
        }
        return counts;
    }

    /** Every file under {@code dir} and a digest of its bytes. */
    static Map<String, String> contents(Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(path).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path))));
            }
        }
        return files;
    }
}
