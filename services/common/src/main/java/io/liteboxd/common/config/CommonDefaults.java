package io.liteboxd.common.config;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.env.AbstractPropertySourceLoader;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Puts {@value #RESOURCE} (settings every service needs the same way: /health vs the management
 * endpoints, metrics, drain) under each service's own configuration. Micronaut reads only the
 * first {@code application.yml} on the classpath, so a second one in this jar would be ignored;
 * an {@link ApplicationContextConfigurer} (found through {@code META-INF/services}) runs for
 * every context builder instead, the services' mains and {@code @MicronautTest} alike.
 */
public final class CommonDefaults implements ApplicationContextConfigurer {

    static final String RESOURCE = "liteboxd-defaults.yml";

    /** Below application.yml, environment variables and system properties, so any of them overrides. */
    static final int ORDER = AbstractPropertySourceLoader.DEFAULT_POSITION - 100;

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of("liteboxd-defaults", read(), ORDER));
    }

    private static Map<String, Object> read() {
        try (InputStream in = CommonDefaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new YamlPropertySourceLoader().read(RESOURCE, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
