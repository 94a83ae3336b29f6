package io.liteboxd.api.hardening;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SandboxPodSettings} turned into the parts of a sandbox pod they govern: the container's
 * security context, its ephemeral-storage limit, the workspace volume, and where the pod may run.
 * Built at start ({@code @Context}), so a bad setting stops the API before it serves.
 */
@Context
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public final class SandboxPodHardening {

    private final List<String> capabilities;
    private final Quantity ephemeralStorageLimit;
    private final Quantity workspaceSizeLimit;
    private final Map<String, String> nodeSelector;
    private final List<V1Toleration> tolerations;
    private final boolean hostUsers;

    public SandboxPodHardening(SandboxPodSettings settings) {
        this.capabilities = CapabilityList.parse(settings.capabilities(), settings.allowDangerousCapabilities())
                .stream().map(Enum::name).toList();
        this.ephemeralStorageLimit = Quantity.fromString(settings.ephemeralStorageLimit());
        this.workspaceSizeLimit = Quantity.fromString(settings.workspaceSizeLimit());
        this.nodeSelector = Collections.unmodifiableMap(NodeSelector.parse(settings.nodeSelector()));
        this.tolerations = Tolerations.parse(settings.tolerations());
        this.hostUsers = settings.hostUsers();
    }

    /** No privilege escalation (setuid binaries gain nothing), ALL capabilities dropped but the configured ones. */
    public V1SecurityContext containerSecurityContext() {
        V1Capabilities caps = new V1Capabilities().drop(List.of("ALL"));
        if (!capabilities.isEmpty()) {
            caps.add(new ArrayList<>(capabilities));
        }
        return new V1SecurityContext().allowPrivilegeEscalation(false).capabilities(caps);
    }

    public V1PodSecurityContext podSecurityContext() {
        return new V1PodSecurityContext().seccompProfile(new V1SeccompProfile().type("RuntimeDefault"));
    }

    public Quantity ephemeralStorageLimit() {
        return ephemeralStorageLimit;
    }

    /** The {@code /workspace} volume: node disk, evicted beyond its size limit. */
    public V1EmptyDirVolumeSource workspace() {
        return new V1EmptyDirVolumeSource().sizeLimit(workspaceSizeLimit);
    }

    /**
     * Node selector, tolerations and user namespace. Fields left unset stay out of the pod, so the
     * default pod is what the API server would write anyway (and hostUsers appears only when false).
     */
    public V1PodSpec schedule(V1PodSpec spec) {
        spec.nodeSelector(nodeSelector.isEmpty() ? null : new LinkedHashMap<>(nodeSelector))
                .tolerations(tolerations.isEmpty() ? null : new ArrayList<>(tolerations));
        if (!hostUsers) {
            spec.hostUsers(false);
        }
        return spec;
    }

    /** Where pre-pulls should pull: the nodes sandboxes may run on. */
    public Map<String, String> nodeSelector() {
        return nodeSelector;
    }
}
