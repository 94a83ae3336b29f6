package io.liteboxd.controller.leader;

import io.kubernetes.client.openapi.ApiException;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.controller.ControllerSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks the leader's pod as the most expensive to delete
 * ({@code controller.kubernetes.io/pod-deletion-cost}), so a rolling update or scale-down
 * removes standbys first and the Lease moves once, from the old leader straight to a new pod,
 * instead of hopping through an old standby that is about to go too. Only in a pod
 * ({@code POD_NAME}, set by the chart); the pod lives in the control namespace.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
@Requires(property = "liteboxd.controller.pod-name", pattern = ".+")
class LeaderDeletionCost implements Leadership.Listener {

    static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    static final String LEADER_COST = "1000";
    private static final Logger LOG = LoggerFactory.getLogger(LeaderDeletionCost.class);

    private final AnnotationPatcher annotations;
    private final ControllerSettings settings;
    private final Leadership leadership;
    private final String podName;
    /** One patch at a time, in the order leadership changed; never on the elector's thread. */
    private final ExecutorService patches = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("deletion-cost").factory());

    LeaderDeletionCost(AnnotationPatcher annotations, ControllerSettings settings, Leadership leadership,
                       @Nullable @Value("${liteboxd.controller.pod-name:}") String podName) {
        this.annotations = annotations;
        this.settings = settings;
        this.leadership = leadership;
        this.podName = podName;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        leadership.addListener(this);
    }

    @Override
    public void startedLeading() {
        patches.execute(() -> annotate(LEADER_COST));
    }

    @Override
    public void stoppedLeading() {
        patches.execute(() -> annotate(null));
    }

    /** {@code value} null removes the annotation: a standby is as cheap to delete as any pod. */
    private void annotate(String value) {
        try {
            annotations.pod(settings.controlNamespace(), podName, Collections.singletonMap(ANNOTATION, value));
            LOG.atInfo().addKeyValue("pod", podName).addKeyValue("cost", value).log("set the pod's deletion cost");
        } catch (ApiException e) {
            // Only the order of a future scale-down suffers; leadership itself is unaffected.
            LOG.warn("could not set the deletion cost of pod {}: HTTP {}", podName, e.getCode());
        }
    }
}
