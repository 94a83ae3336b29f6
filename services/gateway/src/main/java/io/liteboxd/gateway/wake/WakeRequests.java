package io.liteboxd.gateway.wake;

import static io.liteboxd.common.kubernetes.SandboxContract.WAKE_REQUESTED_AT_ANNOTATION;

import io.kubernetes.client.openapi.ApiException;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.gateway.sandbox.GatewaySettings;
import io.liteboxd.gateway.sandbox.SandboxPodCache;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the controller to start a stopped persistent sandbox: the gateway may only annotate, so it
 * writes {@code liteboxd.io/wake-requested-at} on the Deployment (docs/contract.md) and the
 * leader scales it. At most one write per sandbox per {@link #REPEAT_AFTER}, however many
 * requests wait, and off the event loop (the patch is a blocking call).
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class WakeRequests {

    /** A request written this recently is still being acted on; a new one would add nothing. */
    static final Duration REPEAT_AFTER = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(WakeRequests.class);

    private final AnnotationPatcher patcher;
    private final String namespace;
    private final Map<String, Instant> lastRequested = new ConcurrentHashMap<>();
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();

    WakeRequests(AnnotationPatcher patcher, GatewaySettings settings) {
        this.patcher = patcher;
        this.namespace = settings.namespace();
    }

    /** Writes the request unless one for this sandbox was written within {@link #REPEAT_AFTER}. */
    public void request(String sandboxId) {
        Instant now = Instant.now();
        boolean[] due = {false};
        lastRequested.compute(sandboxId, (id, last) -> {
            if (last != null && now.isBefore(last.plus(REPEAT_AFTER))) {
                return last;
            }
            due[0] = true;
            return now;
        });
        if (!due[0]) {
            return;
        }
        lastRequested.entrySet().removeIf(e -> e.getValue().plus(REPEAT_AFTER).isBefore(now));
        writers.execute(() -> {
            try {
                patcher.deployment(namespace, SandboxContract.deploymentName(sandboxId),
                        Map.of(WAKE_REQUESTED_AT_ANNOTATION, now.toString()));
                LOG.atInfo().addKeyValue("sandbox", sandboxId).log("asked to wake sandbox {}", sandboxId);
            } catch (ApiException e) {
                lastRequested.remove(sandboxId, now);
                LOG.warn("could not ask to wake sandbox {}: HTTP {}", sandboxId, e.getCode());
            }
        });
    }
}
