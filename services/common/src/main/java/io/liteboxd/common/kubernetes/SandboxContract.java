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

    /** The one container that runs the user's workload. */
    public static final String MAIN_CONTAINER = "main";

    public static String podName(String sandboxId) {
        return "sandbox-" + sandboxId;
    }

    public static String selector() {
        return APP_LABEL + "=" + APP_VALUE;
    }
}
