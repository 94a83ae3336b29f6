package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Upstream's admin rules: initial password first, ADMIN_PASSWORD resets, the default never does. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminBootstrapTest implements SqliteTestDatabase {

    @Inject
    AdminUserRepository users;

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "first-password", "admin.password", "env-password");
    }

    AdminBootstrap bootstrap(String password) {
        return new AdminBootstrap(users, "admin", password, "ignored-once-an-admin-exists");
    }

    @Test
    void createsTheAdminFromTheInitialPasswordThenResetsFromAdminPassword() {
        assertEquals(1, users.count());
        AdminUser admin = users.findByUsername("admin").orElseThrow();
        assertTrue(Passwords.matches("first-password", admin.passwordHash()), "the initial password wins at creation");
        assertTrue(admin.passwordHash().startsWith("$2a$12$"), "upstream's bcrypt variant and cost");

        bootstrap("env-password").ensureAdmin();
        assertTrue(Passwords.matches("env-password", users.findByUsername("admin").orElseThrow().passwordHash()));

        bootstrap(AdminBootstrap.DEFAULT_PASSWORD).ensureAdmin();
        assertTrue(Passwords.matches("env-password", users.findByUsername("admin").orElseThrow().passwordHash()),
                "the default password never resets an existing admin");
        assertEquals(1, users.count());
    }
}
