package io.liteboxd.api.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin account at start-up. With no admin yet: create {@code ADMIN_USERNAME} with
 * {@code ADMIN_INITIAL_PASSWORD}, else {@code ADMIN_PASSWORD}, else (there is no built-in default
 * any more) a random password written to {@code ${DATA_DIR}/initial-admin-password}, readable by
 * the owner only; the log names the file, never a password. With an admin: a set
 * {@code ADMIN_PASSWORD} that does not match the stored hash resets it and ends the user's
 * sessions; one that matches changes nothing (upstream re-hashed on every boot).
 */
@Singleton
public class AdminBootstrap {

    static final String GENERATED_PASSWORD_FILE = "initial-admin-password";
    private static final int GENERATED_PASSWORD_BYTES = 24;
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AdminUserRepository users;
    private final SessionRepository sessions;
    private final PasswordHashing hashing;
    private final Path dataDir;
    private final String username;
    private final String password;
    private final String initialPassword;

    @Inject
    AdminBootstrap(AdminUserRepository users, SessionRepository sessions, PasswordHashing hashing,
                   @Value("${liteboxd.data-dir}") String dataDir,
                   @Value("${admin.username:admin}") String username,
                   @Nullable @Value("${admin.password:}") String password,
                   @Nullable @Value("${admin.initial.password:}") String initialPassword) {
        this.users = users;
        this.sessions = sessions;
        this.hashing = hashing;
        this.dataDir = Path.of(dataDir);
        this.username = username;
        this.password = password == null ? "" : password;
        this.initialPassword = initialPassword == null ? "" : initialPassword;
        for (String[] env : new String[][] {{"ADMIN_PASSWORD", this.password}, {"ADMIN_INITIAL_PASSWORD", this.initialPassword}}) {
            if (Passwords.tooLong(env[1])) {
                throw new IllegalArgumentException(env[0] + " must be at most " + Passwords.MAX_BYTES + " bytes");
            }
        }
    }

    @EventListener
    void onStartup(StartupEvent event) {
        ensureAdmin();
    }

    void ensureAdmin() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (users.count() == 0) {
            create(now);
        } else if (!password.isEmpty()) {
            users.findByUsername(username).ifPresentOrElse(
                    user -> {
                        if (hashing.run(() -> Passwords.matches(password, user.passwordHash()))) {
                            return;
                        }
                        users.update(user.withPasswordHash(hashing.hash(password), now));
                        sessions.deleteByUserId(user.id());
                        LOG.info("reset the password of admin user {} from ADMIN_PASSWORD and ended its sessions",
                                username);
                    },
                    () -> LOG.warn("ADMIN_PASSWORD is set but admin user {} does not exist", username));
        }
    }

    /**
     * The first start. With Postgres, replicas start side by side and each may count no admin: the
     * unique username lets one insert win; the others find its row and leave it as it is (a
     * password generated here is then nobody's, so its file goes too).
     */
    private void create(Instant now) {
        boolean generating = initialPassword.isEmpty() && password.isEmpty();
        String chosen = !initialPassword.isEmpty() ? initialPassword : !password.isEmpty() ? password : generated();
        try {
            users.save(new AdminUser(UUID.randomUUID().toString(), username, hashing.hash(chosen), now, now));
            LOG.info("created admin user {}", username);
        } catch (DataAccessException e) {
            if (users.findByUsername(username).isEmpty()) {
                throw e;
            }
            if (generating) {
                discardGenerated(chosen);
            }
            LOG.info("admin user {} was created by another replica at the same time; left as it is", username);
        }
    }

    /** Only if the file still holds ours: replicas sharing a DATA_DIR may have written it after us. */
    private void discardGenerated(String generated) {
        Path file = dataDir.resolve(GENERATED_PASSWORD_FILE);
        try {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).strip().equals(generated)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the unused generated admin password file", e);
        }
    }

    /** A random password, left for the operator in a file only its owner can read. */
    private String generated() {
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Secrets.randomBytes(GENERATED_PASSWORD_BYTES));
        Path file = dataDir.resolve(GENERATED_PASSWORD_FILE);
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file); // created afresh, so the permissions are ours from the first byte
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated admin password to " + file, e);
        }
        LOG.warn("neither ADMIN_INITIAL_PASSWORD nor ADMIN_PASSWORD is set: the password of admin user {} was "
                + "generated and written to {} (readable by its owner only); change it after the first login",
                username, file.toAbsolutePath());
        return generated;
    }
}
