package io.liteboxd.api.selftest;

import io.liteboxd.api.hardening.LinuxCapability;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the probe sandbox should look like from inside, taken from the pod the API created (not
 * from the settings, so the report checks what was asked of Kubernetes against what took effect).
 *
 * @param runtimeClassName empty: the cluster's default runtime
 * @param runtimeHandler   the RuntimeClass's handler ({@code runsc} is gVisor), when known
 * @param unprobed         target kinds the probe had no address for, each with the reason
 */
record Expectations(String runtimeClassName, Optional<String> runtimeHandler, boolean internetAllowed,
                    long cpuMillis, long memoryBytes, Set<LinuxCapability> granted, Map<TargetKind, String> unprobed) {

    /** gVisor's containerd handler; a RuntimeClass with it runs sandboxes on gVisor's kernel. */
    static final String GVISOR_HANDLER = "runsc";
}
