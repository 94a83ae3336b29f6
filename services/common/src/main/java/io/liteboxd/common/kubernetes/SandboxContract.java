package io.liteboxd.common.kubernetes;

/**
 * The names the three services agree on for sandbox objects in Kubernetes (docs/contract.md).
 * The API writes them; the gateway and the controller read them from informer caches and never
 * open the API's database.
 */
public final class SandboxContract {

    private SandboxContract() {}

    /** Label on every sandbox pod: {@code app=liteboxd} (upstream's selector). */
    public static final String APP_LABEL = "app";
    public static final String APP_VALUE = "liteboxd";
    /** Label: the sandbox id (8 lowercase hex). */
    public static final String SANDBOX_ID_LABEL = "sandbox-id";
    /** Label: who manages the object ({@value #MANAGED_BY_VALUE}). */
    public static final String MANAGED_BY_LABEL = "liteboxd.io/managed-by";
    public static final String MANAGED_BY_VALUE = "liteboxd-server";
    /** Label {@code true} when the sandbox may reach the internet (selected by the egress policy). */
    public static final String INTERNET_ACCESS_LABEL = "liteboxd.io/internet-access";
    /**
     * Label {@code proxy} when the template allows internet access through a domain allowlist:
     * the pod may reach only the egress proxy (and DNS), which admits the domains of
     * {@link #ALLOWED_DOMAINS_ANNOTATION}. Never together with {@link #INTERNET_ACCESS_LABEL}.
     */
    public static final String EGRESS_LABEL = "liteboxd.io/egress";
    public static final String EGRESS_PROXY = "proxy";
    /**
     * Annotation: the normalised allowlist as a JSON array ({@link AllowedDomains}). An
     * annotation, not a label, so the API can patch it on a running pod and the proxy's informer
     * sees the edit without a restart.
     */
    public static final String ALLOWED_DOMAINS_ANNOTATION = "liteboxd.io/allowed-domains";

    /** Annotation: lowercase hex SHA-256 of the access token; the token itself is never on an object. */
    public static final String TOKEN_SHA256_ANNOTATION = "liteboxd.io/access-token-sha256";
    /** Annotation: RFC 3339 UTC instant after which the controller deletes the sandbox; absent = never. */
    public static final String EXPIRES_AT_ANNOTATION = "liteboxd.io/expires-at";
    /** Annotation: the template name and version the sandbox was made from. */
    public static final String TEMPLATE_ANNOTATION = "liteboxd.io/template";
    public static final String TEMPLATE_VERSION_ANNOTATION = "liteboxd.io/template-version";
    /** Annotation set by whoever deletes a sandbox's pod, read back into the status history. */
    public static final String DELETION_REASON_ANNOTATION = "liteboxd.io/deletion-reason";

    /** Annotation: RFC 3339 UTC instant by which the pod must be Ready, or the sandbox fails. */
    public static final String STARTUP_DEADLINE_ANNOTATION = "liteboxd.io/startup-deadline";
    /**
     * Annotation the controller (leader) sets when the deadline passed before the pod became Ready;
     * its value is the reason. From then on the sandbox is {@code failed} whatever the pod does.
     */
    public static final String STARTUP_FAILED_ANNOTATION = "liteboxd.io/startup-failed";

    // --- persistent sandboxes (docs/contract.md, Persistent sandboxes): PVC + Deployment

    /** Label {@code "true"} on a persistent sandbox's Deployment and its pods. */
    public static final String PERSISTENT_LABEL = "liteboxd.io/persistent";
    /** Annotation on a {@code Retain} PVC: nobody deletes it with the sandbox. */
    public static final String RECLAIM_POLICY_ANNOTATION = "liteboxd.io/reclaim-policy";
    /** Deployment annotation: RFC 3339 instant the sandbox was stopped; present only while stopped. */
    public static final String STOPPED_AT_ANNOTATION = "liteboxd.io/stopped-at";
    /** Deployment annotation: why it was stopped ({@code stopped by request}, {@code idle for <n>s}). */
    public static final String STOP_REASON_ANNOTATION = "liteboxd.io/stop-reason";
    /** Deployment annotation: seconds without activity before the controller suspends it. */
    public static final String IDLE_TIMEOUT_ANNOTATION = "liteboxd.io/idle-timeout";
    /** Deployment annotation: RFC 3339 instant of the latest activity (gateway, API). */
    public static final String LAST_ACTIVITY_ANNOTATION = "liteboxd.io/last-activity";
    /** Deployment annotation: RFC 3339 instant a gateway request found the sandbox stopped. */
    public static final String WAKE_REQUESTED_AT_ANNOTATION = "liteboxd.io/wake-requested-at";

    /** The one container that runs the user's workload. */
    public static final String MAIN_CONTAINER = "main";

    public static String podName(String sandboxId) {
        return "sandbox-" + sandboxId;
    }

    /** A persistent sandbox's Deployment has the pod's name; its pods do not (find them by label). */
    public static String deploymentName(String sandboxId) {
        return podName(sandboxId);
    }

    public static String claimName(String sandboxId) {
        return "sandbox-data-" + sandboxId;
    }

    /**
     * The selector of every sandbox informer: {@code app=liteboxd} without the pool's pods, which
     * are no sandboxes until claimed (docs/contract.md, Warm pools).
     */
    public static String selector() {
        return APP_LABEL + "=" + APP_VALUE + ",!" + POOL_LABEL;
    }

    /** The sandboxes whose only way out is the egress proxy: what the proxy's informer watches. */
    public static String egressProxySelector() {
        return selector() + "," + EGRESS_LABEL + "=" + EGRESS_PROXY;
    }

    /** Whether the object is labelled for the egress proxy ({@link #egressProxySelector()}'s own label). */
    public static boolean behindEgressProxy(io.kubernetes.client.openapi.models.V1ObjectMeta meta) {
        return meta != null && meta.getLabels() != null && EGRESS_PROXY.equals(meta.getLabels().get(EGRESS_LABEL));
    }

    // --- warm pools (docs/contract.md, Warm pools): a PodTemplate per pooled template, pool pods

    /** Label on a pool's PodTemplate and on its unclaimed pods: the template name. */
    public static final String POOL_LABEL = "liteboxd.io/pool";
    /** Label on an unclaimed pool pod, annotation on the PodTemplate: hash of the pod template. */
    public static final String POOL_HASH = "liteboxd.io/pool-hash";
    /** PodTemplate annotations: the pool's bounds, set through the API. */
    public static final String POOL_MIN_ANNOTATION = "liteboxd.io/pool-min";
    public static final String POOL_MAX_ANNOTATION = "liteboxd.io/pool-max";
    /** PodTemplate annotation: {@link PoolStatus} as JSON, written by the controller (leader). */
    public static final String POOL_STATUS_ANNOTATION = "liteboxd.io/pool-status";
    /** Sandbox pod annotations: claimed from a pool (template, instant), or a cold create a pool missed. */
    public static final String CLAIMED_FROM_ANNOTATION = "liteboxd.io/claimed-from";
    public static final String CLAIMED_AT_ANNOTATION = "liteboxd.io/claimed-at";
    public static final String POOL_MISS_ANNOTATION = "liteboxd.io/pool-miss";

    /** The PodTemplate of a template's pool, and the generateName of its pods. */
    public static String poolName(String template) {
        return "pool-" + template;
    }

    /** Whether a pod (or PodTemplate) belongs to a pool: its {@link #POOL_LABEL}, else null. */
    public static String poolOf(io.kubernetes.client.openapi.models.V1ObjectMeta meta) {
        return meta == null || meta.getLabels() == null ? null : meta.getLabels().get(POOL_LABEL);
    }
}
