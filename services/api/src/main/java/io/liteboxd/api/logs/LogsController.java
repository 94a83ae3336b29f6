package io.liteboxd.api.logs;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.FlatError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.exec.SandboxTargets;
import io.liteboxd.api.sandbox.Sandbox;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/sandboxes/{id}/logs} (spec §3.8): the last lines of {@code main} and the
 * pod's events, newest first as {@code [<Type>] <Reason>: <Message>}; for a persistent sandbox
 * the claim's, the Deployment's and the pod's, as {@code [PVC|Deployment|Pod][<Type>] …}. {@code events} is always
 * an array (upstream sent {@code null}, which broke its Python SDK). An unknown sandbox is 404.
 * The log is streamed through {@link LogTail}, never read whole: a pod that writes one endless
 * line cannot make us hold it ({@link LogsSettings}).
 */
@Controller("/api/v1/sandboxes/{id}/logs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = SandboxTargets.class)
@Tag(name = "sandboxes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class LogsController {

    private static final int TAIL_LINES = 100;
    private static final Logger LOG = LoggerFactory.getLogger(LogsController.class);

    @Serdeable
    record Logs(String logs, List<String> events) {}

    private final SandboxTargets targets;
    private final CoreV1Api core;
    private final LogsSettings settings;

    LogsController(SandboxTargets targets, CoreV1Api core, LogsSettings settings) {
        this.targets = targets;
        this.core = core;
        this.settings = settings;
    }

    @Get
    @Operation(operationId = "getSandboxLogs", summary = "The last 100 lines of the main container and the pod's "
            + "events, newest first (events is always an array)")
    @FlatError.NotFound
    Logs logs(@PathVariable String id) {
        Sandbox row = targets.sandbox(id);
        Optional<V1Pod> pod = targets.podOf(row);
        if (row.isPersistent()) {
            // Upstream's order: the claim's, the Deployment's, then the pod's events, each kind prefixed.
            String namespace = row.clusterNamespace();
            List<String> events = new ArrayList<>(events(namespace, "PersistentVolumeClaim",
                    SandboxContract.claimName(id), "[PVC]"));
            events.addAll(events(namespace, "Deployment", SandboxContract.deploymentName(id), "[Deployment]"));
            pod.ifPresent(p -> events.addAll(events(namespace, "Pod", p.getMetadata().getName(), "[Pod]")));
            return new Logs(pod.map(p -> tail(namespace, p.getMetadata().getName())).orElse(""), events);
        }
        if (pod.isEmpty()) {
            return new Logs("", List.of()); // known sandbox without a pod: nothing to show
        }
        String namespace = pod.get().getMetadata().getNamespace();
        String name = pod.get().getMetadata().getName();
        return new Logs(tail(namespace, name), events(namespace, "Pod", name, ""));
    }

    private String tail(String namespace, String pod) {
        try {
            // One byte beyond the limit tells LogTail that there was more.
            Call call = core.readNamespacedPodLog(pod, namespace).container(SandboxContract.MAIN_CONTAINER)
                    .tailLines(TAIL_LINES).limitBytes(settings.maxBytes() + 1).buildCall(null);
            call.timeout().timeout(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            try (Response response = call.execute()) {
                if (!response.isSuccessful() || response.body() == null) {
                    // 400 while the container has not started yet: no logs is the right answer.
                    LOG.debug("logs of {}/{}: HTTP {}", namespace, pod, response.code());
                    return "";
                }
                return LogTail.read(response.body().byteStream(), settings.maxBytes(), settings.maxLineBytes());
            }
        } catch (ApiException | IOException e) {
            LOG.warn("logs of {}/{}: {}", namespace, pod, e.toString());
            return "";
        }
    }

    /** The events of one object, newest first, each line starting with {@code prefix}. */
    private List<String> events(String namespace, String kind, String name, String prefix) {
        try {
            return core.listNamespacedEvent(namespace)
                    .fieldSelector("involvedObject.kind=" + kind + ",involvedObject.name=" + name).execute()
                    .getItems().stream()
                    .sorted(Comparator.comparing(LogsController::when,
                            Comparator.nullsFirst(Comparator.<OffsetDateTime>naturalOrder())).reversed())
                    .map(e -> prefix + "[" + e.getType() + "] " + e.getReason() + ": " + e.getMessage())
                    .toList();
        } catch (ApiException e) {
            LOG.warn("events of {} {}/{}: HTTP {}", kind, namespace, name, e.getCode());
            return List.of();
        }
    }

    private static OffsetDateTime when(CoreV1Event event) {
        if (event.getLastTimestamp() != null) {
            return event.getLastTimestamp();
        }
        if (event.getEventTime() != null) {
            return event.getEventTime();
        }
        return Objects.requireNonNull(event.getMetadata()).getCreationTimestamp();
    }
}
