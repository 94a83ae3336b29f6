package io.liteboxd.api.storage;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanInitializedEventListener;
import io.micronaut.context.event.BeanInitializingEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SQLite creates its database file but not the directory it lives in ({@code DATA_DIR}, a fresh
 * PVC mount or a developer's {@code ./data}); create it before the pool opens the first connection.
 */
@Singleton
public class SqliteDataDirectory implements BeanInitializedEventListener<DatasourceConfiguration> {

    private static final String PREFIX = "jdbc:sqlite:";

    @Override
    public DatasourceConfiguration onInitialized(BeanInitializingEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getJdbcUrl() != null ? config.getJdbcUrl() : config.getUrl();
        if (url != null && url.startsWith(PREFIX)) {
            String file = url.substring(PREFIX.length()).split("\\?", 2)[0];
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (!file.isEmpty() && !file.equals(":memory:") && parent != null) {
                try {
                    Files.createDirectories(parent);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the data directory " + parent, e);
                }
            }
        }
        return config;
    }
}
