package io.liteboxd.api.sandbox;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The host-mode address of a sandbox's ports ({@code SANDBOX_URL_TEMPLATE}, e.g.
 * {@code https://{port}-{id}.sbx.example.com}): each sandbox port on an origin of its own, so a
 * page a sandbox serves never shares the API's origin (docs/routing.md). The API fills in
 * {@code {id}} and returns it as {@code accessUrlTemplate}; clients fill in {@code {port}}.
 * Unset: host mode is off and the field is left out (upstream's {@code accessUrl} is always there).
 */
@Singleton
public class SandboxUrlTemplate {

    static final String PORT = "{port}";
    static final String ID = "{id}";

    @Nullable
    private final String template;

    SandboxUrlTemplate(@Nullable @Value("${liteboxd.sandbox.url-template:}") String template) {
        this.template = parse(template);
    }

    /** {@code null} when host mode is off. */
    @Nullable
    public String forSandbox(String sandboxId) {
        return template == null ? null : template.replace(ID, sandboxId);
    }

    /**
     * A template must be an absolute http(s) URL whose host starts with the label
     * {@code {port}-{id}.}: that is the one shape the gateway routes by host.
     */
    @Nullable
    static String parse(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String template = raw.trim();
        while (template.endsWith("/")) {
            template = template.substring(0, template.length() - 1);
        }
        String probe = template.replace(PORT, "8080").replace(ID, "abcdef01");
        URI uri;
        try {
            uri = new URI(probe);
        } catch (URISyntaxException e) {
            throw invalid(raw, "not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw invalid(raw, "not an absolute http(s) URL");
        }
        if (!template.contains("://" + PORT + "-" + ID + ".")) {
            throw invalid(raw, "the host must start with {port}-{id}.");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
            throw invalid(raw, "no path or query allowed");
        }
        return template;
    }

    private static IllegalArgumentException invalid(String raw, String why) {
        return new IllegalArgumentException("liteboxd.sandbox.url-template (SANDBOX_URL_TEMPLATE) '" + raw + "': " + why);
    }
}
