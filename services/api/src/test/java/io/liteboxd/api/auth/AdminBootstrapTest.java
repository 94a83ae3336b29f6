package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The admin at start-up: the initial password first; ADMIN_PASSWORD resets (ending sessions) only
 * when it differs; no built-in default: a generated password in an owner-only file.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminBootstrapTest implements SqliteTestDatabase {

    @Inject
    AdminUserRepository users;

    @Inject
    SessionRepository sessions;

    @Inject
    PasswordHashing hashing;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "first-password", "admin.password", "env-password");
    }

    AdminBootstrap bootstrap(Path dataDir, String password, String initialPassword) {
        return new AdminBootstrap(users, sessions, hashing, dataDir.toString(), "admin", password, initialPassword);
    }

    AdminBootstrap bootstrap(String password) throws Exception {
        return bootstrap(Files.createTempDirectory("lbx-admin"), password, "ignored-once-an-admin-exists");
    }

    String sessionOf(AdminUser admin) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return sessions.save(new Session(Secrets.randomHex(32), admin.id(), now.plusSeconds(60), now)).id();
    }

    @Test
    void createsTheAdminFromTheInitialPasswordThenResetsOnlyWhenAdminPasswordDiffers() throws Exception {
        assertEquals(1, users.count());
        AdminUser admin = users.findByUsername("admin").orElseThrow();
        assertTrue(Passwords.matches("first-password", admin.passwordHash()), "the initial password wins at creation");
        assertTrue(admin.passwordHash().startsWith("$2a$12$"), "upstream's bcrypt variant and cost");

        String before = sessionOf(admin);
        bootstrap("env-password").ensureAdmin();
        String reset = users.findByUsername("admin").orElseThrow().passwordHash();
        assertTrue(Passwords.matches("env-password", reset));
        assertFalse(sessions.existsById(before), "a reset ends the user's sessions");

        String after = sessionOf(admin);
        bootstrap("env-password").ensureAdmin();
        assertEquals(reset, users.findByUsername("admin").orElseThrow().passwordHash(), "a matching one is left alone");
        assertTrue(sessions.existsById(after), "and keeps the sessions");
        assertEquals(1, users.count());
    }

    @Test
    void withoutAnyPasswordOneIsGeneratedIntoAnOwnerOnlyFileAndNeverLogged() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AdminBootstrap.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        AdminUser existing = users.findByUsername("admin").orElseThrow();
        sessions.deleteAll();
        users.deleteAll();
        try {
            Path dataDir = Files.createTempDirectory("lbx-admin");
            bootstrap(dataDir, "", "").ensureAdmin();

            Path file = dataDir.resolve(AdminBootstrap.GENERATED_PASSWORD_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String generated = Files.readString(file).strip();
            assertTrue(generated.length() >= 32, generated.length() + " characters");
            assertTrue(Passwords.matches(generated, users.findByUsername("admin").orElseThrow().passwordHash()));
            assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(file.toString())),
                    "the log names the file");
            assertFalse(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(generated)),
                    "but never the password");
        } finally {
            logger.detachAppender(logs);
            users.deleteAll();
            users.save(existing);
        }
    }

    /**
     * Two replicas start at once on one Postgres: both count no admin, one insert wins. The loser
     * (here: a repository that always counts none) keeps the winner's row and drops its own
     * generated password file; on SQLite the same unique username decides.
     */
    @Test
    void aReplicaThatLostTheRaceToCreateTheAdminLeavesTheWinnersRow() throws Exception {
        AdminUser winner = users.findByUsername("admin").orElseThrow();
        AdminUserRepository countsNone = (AdminUserRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AdminUserRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("count")) {
                        return 0L;
                    }
                    try {
                        return method.invoke(users, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Path dataDir = Files.createTempDirectory("lbx-admin");
        new AdminBootstrap(countsNone, sessions, hashing, dataDir.toString(), "admin", "", "").ensureAdmin();
        assertEquals(winner, users.findByUsername("admin").orElseThrow());
        assertEquals(1, users.count());
        assertFalse(Files.exists(dataDir.resolve(AdminBootstrap.GENERATED_PASSWORD_FILE)),
                "the loser's generated password is nobody's: its file is gone");
    }

    @Test
    void passwordsBcryptWouldCutAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> bootstrap("x".repeat(73)));
        assertThrows(IllegalArgumentException.class,
                () -> bootstrap(Files.createTempDirectory("lbx-admin"), "", "é".repeat(40)));
    }
}
