package io.liteboxd.api.selftest;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the probe tries to connect to, each its own check. Only the internet may be reachable, and
 * only when the template allows it; everything else must be fenced off by the network policies.
 */
enum TargetKind {
    KUBERNETES_API("kubernetes-api", "the Kubernetes API server, by its Service and on the node"),
    NODE("node", "the kubelet on the sandbox's node"),
    CONTROL_PLANE("control-plane", "LiteBoxd's API and gateway Services"),
    OTHER_SANDBOX("other-sandbox", "another running sandbox"),
    METADATA("metadata-endpoint", "the cloud metadata address 169.254.169.254"),
    INTERNET("internet", "an address on the internet");

    private final String label;
    private final String what;

    TargetKind(String label, String what) {
        this.label = label;
        this.what = what;
    }

    /** The probe's label and the check's name. */
    String label() {
        return label;
    }

    String what() {
        return what;
    }

    static Optional<TargetKind> of(String label) {
        return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
    }
}
