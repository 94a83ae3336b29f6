package io.liteboxd.api.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin account at start-up, as upstream: with no admin yet, create {@code ADMIN_USERNAME}
 * with {@code ADMIN_INITIAL_PASSWORD}, else {@code ADMIN_PASSWORD}, else {@code liteboxd-admin};
 * with an admin, a set {@code ADMIN_PASSWORD} other than that default resets its password.
 */
@Singleton
public class AdminBootstrap {

    static final String DEFAULT_PASSWORD = "liteboxd-admin";
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AdminUserRepository users;
    private final String username;
    private final String password;
    private final String initialPassword;

    AdminBootstrap(AdminUserRepository users,
                   @Value("${admin.username:admin}") String username,
                   @Nullable @Value("${admin.password:}") String password,
                   @Nullable @Value("${admin.initial.password:}") String initialPassword) {
        this.users = users;
        this.username = username;
        this.password = password == null ? "" : password;
        this.initialPassword = initialPassword == null ? "" : initialPassword;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        ensureAdmin();
    }

    void ensureAdmin() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (users.count() == 0) {
            String chosen = !initialPassword.isEmpty() ? initialPassword : !password.isEmpty() ? password : DEFAULT_PASSWORD;
            users.save(new AdminUser(UUID.randomUUID().toString(), username,
                    Passwords.hash(chosen, Passwords.BOOTSTRAP_COST), now, now));
            LOG.info("created admin user {}", username);
        } else if (!password.isEmpty() && !password.equals(DEFAULT_PASSWORD)) {
            users.findByUsername(username).ifPresentOrElse(
                    user -> {
                        users.update(user.withPasswordHash(Passwords.hash(password, Passwords.BOOTSTRAP_COST), now));
                        LOG.info("reset the password of admin user {} from ADMIN_PASSWORD", username);
                    },
                    () -> LOG.warn("ADMIN_PASSWORD is set but admin user {} does not exist", username));
        }
    }
}
