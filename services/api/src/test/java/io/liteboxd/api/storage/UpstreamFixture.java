package io.liteboxd.api.storage;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.liteboxd.api.auth.Secrets;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A database file as an early upstream LiteBoxd left it (resource upstream/liteboxd-early.sql):
 * no Flyway history, late columns missing, go-sqlite3's time layouts, an admin and an API key
 * with the credentials below.
 */
public final class UpstreamFixture {

    public static final String API_KEY = "lbxk_" + "ab".repeat(32);
    public static final String PASSWORD = "upstream-password";

    private UpstreamFixture() {}

    public static void write(Path file) throws Exception {
        String script;
        try (InputStream in = UpstreamFixture.class.getResourceAsStream("/upstream/liteboxd-early.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${API_KEY_HASH}", Secrets.sha256Hex(API_KEY))
                    .replace("${ADMIN_HASH}", BCrypt.with(BCrypt.Version.VERSION_2A)
                            .hashToString(4, PASSWORD.toCharArray()));
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = db.createStatement()) {
            for (String sql : script.replaceAll("(?m)^--.*$", "").split(";\\s*\\n")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
    }
}
