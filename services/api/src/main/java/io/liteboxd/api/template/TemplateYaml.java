package io.liteboxd.api.template;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The template YAML format (spec §7.1): {@code kind: SandboxTemplate} with metadata and a spec
 * whose keys are exactly TemplateSpec's JSON keys, or {@code kind: SandboxTemplateList} with
 * {@code items}. Unlike upstream, a spec key that is not a TemplateSpec key (such as upstream's
 * own lowercase {@code readinessprobe}) is reported instead of silently dropped.
 */
@Singleton
class TemplateYaml {

    /** One template read from a document. */
    record Entry(String name, String displayName, String description, List<String> tags,
                 Map<String, Object> spec) {}

    private static final Set<String> SPEC_KEYS = Set.of("image", "command", "args", "resources", "ttl", "env",
            "startupScript", "startupTimeout", "files", "readinessProbe", "network", "persistence", "runtimeClassName",
            "idleTimeout", "pool");

    private final JsonMapper json;

    TemplateYaml(JsonMapper json) {
        this.json = json;
    }

    /** Parses a document; syntax errors are INVALID_YAML, a wrong kind INVALID_REQUEST (upstream: 500). */
    List<Entry> read(String text) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new TemplateException(io.micronaut.http.HttpStatus.BAD_REQUEST, "INVALID_YAML",
                    "invalid YAML format: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new TemplateException(io.micronaut.http.HttpStatus.BAD_REQUEST, "INVALID_YAML",
                    "invalid YAML format: expected a mapping at the top");
        }
        Object kind = root.get("kind");
        if ("SandboxTemplateList".equals(kind)) {
            List<Entry> entries = new ArrayList<>();
            if (root.get("items") instanceof List<?> items) {
                for (Object item : items) {
                    entries.add(entry(item instanceof Map<?, ?> m ? m : Map.of()));
                }
            }
            return entries;
        }
        if (!"SandboxTemplate".equals(kind)) {
            throw TemplateException.invalid("invalid kind: expected SandboxTemplate, got " + kind);
        }
        return List.of(entry(root));
    }

    /** The spec map as a TemplateSpec, or the unknown keys as a failure message. */
    TemplateSpec spec(Map<String, Object> spec) {
        Set<String> unknown = new TreeSet<>(spec.keySet());
        unknown.removeAll(SPEC_KEYS);
        if (!unknown.isEmpty()) {
            throw TemplateException.invalid("invalid spec: unknown field(s) " + String.join(", ", unknown)
                    + " (keys are case-sensitive)");
        }
        try {
            return json.readValue(json.writeValueAsString(spec), TemplateSpec.class);
        } catch (IOException e) {
            throw TemplateException.invalid("invalid spec: " + e.getMessage());
        }
    }

    String writeOne(TemplateViews.TemplateView template, TemplateSpec spec) {
        return dump(document(template, spec));
    }

    String writeList(List<Map.Entry<TemplateViews.TemplateView, TemplateSpec>> templates, Instant exportedAt) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "liteboxd/v1");
        list.put("kind", "SandboxTemplateList");
        list.put("exportedAt", DateTimeFormatter.ISO_INSTANT.format(exportedAt));
        list.put("items", templates.stream().map(e -> document(e.getKey(), e.getValue())).toList());
        return dump(list);
    }

    private Map<String, Object> document(TemplateViews.TemplateView template, TemplateSpec spec) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", template.name());
        metadata.put("displayName", template.displayName());
        metadata.put("description", template.description());
        metadata.put("tags", template.tags());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("apiVersion", "liteboxd/v1");
        document.put("kind", "SandboxTemplate");
        document.put("metadata", metadata);
        try {
            // The spec's JSON form already leaves out the empty optional fields.
            document.put("spec", json.readValue(json.writeValueAsString(spec), Argument.mapOf(String.class, Object.class)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return document;
    }

    private static Entry entry(Map<?, ?> document) {
        Map<?, ?> metadata = document.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        List<String> tags = metadata.get("tags") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = document.get("spec") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
        return new Entry(text(metadata.get("name")), text(metadata.get("displayName")),
                text(metadata.get("description")), tags, spec);
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static String dump(Object document) {
        DumperOptions options = new DumperOptions();
        options.setIndent(4);
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(document);
    }
}
