package io.liteboxd.api.prepull;

import static io.liteboxd.common.prepull.PrepullContract.*;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.liteboxd.api.events.EventType;
import io.liteboxd.api.events.LiveEvents;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's half of the pre-pull handshake: copies what the controller reports on each
 * pre-pull DaemonSet into its row, and once the row holds the outcome, marks the DaemonSet
 * {@code liteboxd.io/prepull-recorded}, which lets the controller delete it. A DaemonSet that
 * disappears before any outcome (deleted by hand) fails its row.
 */
@Singleton
@Requires(beans = PrepullService.class)
public class PrepullStatusSync implements ResourceEventHandler<V1DaemonSet> {

    private static final Logger LOG = LoggerFactory.getLogger(PrepullStatusSync.class);

    private final SharedInformerFactory informers;
    private final ApiClient informerClient;
    private final AnnotationPatcher annotations;
    private final SandboxSettings settings;
    private final PrepullRepository prepulls;
    private final LiveEvents events;
    private SharedIndexInformer<V1DaemonSet> daemonSets;

    PrepullStatusSync(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                      AnnotationPatcher annotations, SandboxSettings settings, PrepullRepository prepulls,
                      LiveEvents events) {
        this.informers = informers;
        this.informerClient = informerClient;
        this.annotations = annotations;
        this.settings = settings;
        this.prepulls = prepulls;
        this.events = events;
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        daemonSets = Informers.prepullDaemonSets(informers, informerClient, settings.namespace());
        daemonSets.addEventHandler(this);
        Informers.startAndSync(informers, daemonSets, "pre-pull DaemonSet");
    }

    @Override
    public void onAdd(V1DaemonSet ds) {
        record(ds);
        publish(id(ds));
    }

    @Override
    public void onUpdate(V1DaemonSet oldDs, V1DaemonSet newDs) {
        record(newDs);
        // Every replica sees the change, but only the first writes the row: publish on what the
        // DaemonSet shows, not on this replica's write, so each replica's streams get it.
        if (!Objects.equals(oldDs.getMetadata().getAnnotations(), newDs.getMetadata().getAnnotations())) {
            publish(id(newDs));
        }
    }

    @Override
    public void onDelete(V1DaemonSet ds, boolean finalStateUnknown) {
        String id = id(ds);
        if (id == null) {
            return;
        }
        prepulls.findById(id).filter(Prepull::isActive).ifPresent(row -> prepulls.report(id, FAILED,
                nonNull(row.readyNodes()), nonNull(row.totalNodes()), "DaemonSet not found", Instant.now()));
        publish(id);
    }

    /** The pre-pull as GET /images/prepull/{id} shows it, to the console's live streams. */
    private void publish(String id) {
        if (id == null || !events.watched()) {
            return;
        }
        try {
            prepulls.findById(id).ifPresent(row -> events.publish(EventType.PREPULL, PrepullViews.Response.of(row)));
        } catch (RuntimeException e) {
            LOG.warn("pre-pull {}: live event not sent: {}", id, e.toString());
        }
    }

    private void record(V1DaemonSet ds) {
        String id = id(ds);
        Map<String, String> annotations = ds.getMetadata().getAnnotations();
        if (id == null || annotations == null || annotations.get(STATUS_ANNOTATION) == null) {
            return;
        }
        try {
            prepulls.findById(id).ifPresent(row -> {
                String status = annotations.get(STATUS_ANNOTATION);
                int ready = number(annotations.get(READY_ANNOTATION));
                int total = number(annotations.get(TOTAL_ANNOTATION));
                String error = Objects.requireNonNullElse(annotations.get(ERROR_ANNOTATION), "");
                boolean changed = !status.equals(row.status()) || ready != nonNull(row.readyNodes())
                        || total != nonNull(row.totalNodes()) || !error.equals(Objects.requireNonNullElse(row.error(), ""));
                if (changed && row.isActive()) {
                    prepulls.report(id, status, ready, total, error,
                            isFinal(status) ? Instant.now() : null);
                }
                if (isFinal(status) && !status.equals(annotations.get(RECORDED_ANNOTATION))) {
                    markRecorded(ds, status);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("pre-pull {}: recording the outcome failed", id, e);
        }
    }

    private void markRecorded(V1DaemonSet ds, String status) {
        try {
            annotations.daemonSet(ds.getMetadata().getNamespace(), ds.getMetadata().getName(),
                    Map.of(RECORDED_ANNOTATION, status));
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                LOG.warn("pre-pull {}: marking the outcome recorded failed: HTTP {}", ds.getMetadata().getName(), e.getCode());
            }
        }
    }

    private static String id(V1DaemonSet ds) {
        Map<String, String> labels = ds.getMetadata().getLabels();
        return labels == null ? null : labels.get(ID_LABEL);
    }

    private static int number(String text) {
        try {
            return text == null ? 0 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int nonNull(Integer value) {
        return value == null ? 0 : value;
    }
}
