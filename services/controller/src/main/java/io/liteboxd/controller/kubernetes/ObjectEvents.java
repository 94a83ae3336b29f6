package io.liteboxd.controller.kubernetes;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import jakarta.inject.Singleton;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on the objects the controller acts on, so `kubectl describe` says why. Best effort. */
@Singleton
public class ObjectEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectEvents.class);

    private final CoreV1Api core;

    ObjectEvents(CoreV1Api core) {
        this.core = core;
    }

    public void record(String kind, String apiVersion, V1ObjectMeta object, String type, String reason, String message) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        CoreV1Event event = new CoreV1Event()
                .metadata(new V1ObjectMeta().generateName(object.getName() + ".").namespace(object.getNamespace()))
                .involvedObject(new V1ObjectReference().kind(kind).apiVersion(apiVersion).name(object.getName())
                        .namespace(object.getNamespace()).uid(object.getUid()))
                .reason(reason).message(message).type(type).count(1)
                .firstTimestamp(now).lastTimestamp(now)
                .source(new V1EventSource().component("liteboxd-controller"));
        try {
            core.createNamespacedEvent(object.getNamespace(), event).execute();
        } catch (ApiException e) {
            LOG.debug("event {} for {} not recorded: HTTP {}", reason, object.getName(), e.getCode());
        }
    }
}
