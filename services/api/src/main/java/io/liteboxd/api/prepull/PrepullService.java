package io.liteboxd.api.prepull;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.liteboxd.api.hardening.SandboxPodHardening;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.liteboxd.api.template.TemplateException;
import io.liteboxd.common.prepull.PrepullContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting and removing pre-pulls (spec §8.3, §8.5; our difference 6): the row is written, then
 * the DaemonSet of {@link PrepullContract}; the controller takes it from there and
 * {@link PrepullStatusSync} copies what it reports into the row.
 */
@Singleton
@Requires(beans = {SandboxSettings.class, PrepullSettings.class})
public class PrepullService {

    private static final Logger LOG = LoggerFactory.getLogger(PrepullService.class);

    private final PrepullRepository prepulls;
    private final PrepullClaim claims;
    private final AppsV1Api apps;
    private final SandboxSettings sandboxes;
    private final PrepullSettings settings;
    private final SandboxPodHardening hardening;

    PrepullService(PrepullRepository prepulls, PrepullClaim claims, AppsV1Api apps, SandboxSettings sandboxes,
                   PrepullSettings settings, SandboxPodHardening hardening) {
        this.prepulls = prepulls;
        this.claims = claims;
        this.apps = apps;
        this.sandboxes = sandboxes;
        this.settings = settings;
        this.hardening = hardening;
    }

    /**
     * Starts pulling {@code image} on every node; {@code template} tags requests made for one. At
     * most one pull per image is active: {@link PrepullClaim} decides, across replicas too.
     */
    public Prepull start(@Nullable String image, @Nullable String template, @Nullable Integer timeoutSeconds) {
        String trimmed = image == null ? "" : image.trim();
        if (trimmed.isEmpty()) {
            throw new TemplateException(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "image is required");
        }
        if (trimmed.chars().anyMatch(Character::isWhitespace) || trimmed.length() > 512) {
            throw new TemplateException(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "invalid image reference");
        }
        Duration timeout = timeoutSeconds == null || timeoutSeconds <= 0
                ? settings.defaultTimeout() : Duration.ofSeconds(timeoutSeconds);
        Prepull row = claims.claim(trimmed, template == null ? "" : template,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        String id = row.id();
        try {
            V1DaemonSet daemonSet = PrepullContract.daemonSet(id, trimmed, sandboxes.namespace(),
                    settings.helperImage(), timeout);
            // Pull where sandboxes may run (SANDBOX_NODE_SELECTOR); the DaemonSet tolerates every taint already.
            if (!hardening.nodeSelector().isEmpty()) {
                daemonSet.getSpec().getTemplate().getSpec().nodeSelector(hardening.nodeSelector());
            }
            apps.createNamespacedDaemonSet(sandboxes.namespace(), daemonSet).execute();
            prepulls.report(id, PrepullContract.PULLING, 0, 0, "", null);
        } catch (ApiException e) {
            // Upstream's answer too: the request is accepted, the outcome says what went wrong.
            String error = "failed to create the pre-pull DaemonSet: HTTP " + e.getCode();
            LOG.warn("pre-pull {} of {}: {}", id, trimmed, error);
            prepulls.report(id, PrepullContract.FAILED, 0, 0, error, Instant.now());
        }
        return prepulls.findById(row.id()).orElseThrow();
    }

    /** Removes the request and its DaemonSet (whatever state it is in). */
    public void delete(String id) {
        Prepull row = prepulls.findById(id).orElseThrow(() -> notFound(id));
        try {
            apps.deleteNamespacedDaemonSet(PrepullContract.name(row.id()), sandboxes.namespace())
                    .propagationPolicy("Background").execute();
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw new TemplateException(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                        "failed to delete the pre-pull DaemonSet");
            }
        }
        prepulls.deleteById(id);
    }

    static TemplateException notFound(String id) {
        return new TemplateException(HttpStatus.NOT_FOUND, "PREPULL_NOT_FOUND", "Prepull task '" + id + "' not found");
    }
}
