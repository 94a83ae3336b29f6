package io.liteboxd.api.runtime;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * Which RuntimeClass a sandbox runs under: its template's {@code runtimeClassName}, else the
 * configured default, else none (the cluster's default runtime). Each name must be a RuntimeClass
 * of the cluster; the answer says which are.
 */
@Singleton
@Requires(beans = RuntimeClassCatalog.class)
public class SandboxRuntime {

    private final RuntimeClassCatalog catalog;
    private final SandboxRuntimeSettings settings;

    SandboxRuntime(RuntimeClassCatalog catalog, SandboxRuntimeSettings settings) {
        this.catalog = catalog;
        this.settings = settings;
    }

    /** The RuntimeClass for a template's choice (null or empty: the default), or empty for none. */
    public Optional<String> resolve(String templateChoice) {
        String name = templateChoice == null || templateChoice.isBlank() ? settings.defaultClass() : templateChoice;
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** Why {@code name} cannot be used, or empty when the cluster has it. */
    public Optional<String> problem(String name) {
        if (!RuntimeClassNames.isValid(name)) {
            return Optional.of("runtimeClassName is not a valid name: " + name);
        }
        if (catalog.exists(name)) {
            return Optional.empty();
        }
        List<String> known = catalog.names();
        return Optional.of("runtimeClassName '" + name + "' is not a RuntimeClass of this cluster ("
                + (known.isEmpty() ? "it has none" : "it has " + String.join(", ", known)) + ")");
    }
}
