package io.liteboxd.api.hardening;

import io.liteboxd.api.kubernetes.Quantities;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code liteboxd.sandbox.pod}: how every sandbox pod is locked down (docs/security.md, Sandbox pods).
 * <ul>
 * <li>{@code capabilities} ({@code SANDBOX_CAPABILITIES}, {@value #DEFAULT_CAPABILITIES}): the container
 * drops ALL and adds back only these. Each default is there for a root shell's everyday work:
 * <ul>
 * <li>AUDIT_WRITE: PAM's {@code su}, {@code sudo} and {@code login} write an audit record and fail
 * when the kernel refuses it; the capability only lets a process append to the audit log;
 * <li>CHOWN: package managers (dpkg, npm, pip as root) and {@code tar} give files to other users;
 * <li>DAC_OVERRIDE: root reads and writes files whatever their mode (apt's lists belong to {@code _apt}, 0700);
 * <li>FOWNER: chmod, utime and ACLs on files root does not own (dpkg restoring modes and times after a chown);
 * <li>FSETID: setuid and setgid bits survive a chown or a write (dpkg installing {@code su}, {@code passwd});
 * <li>KILL: signals to processes of other users (a server that dropped to {@code www-data}; the exec
 * timeout killing a command's process tree whatever user it turned into);
 * <li>NET_BIND_SERVICE: a server on a port below 1024 (port 80), which the gateway forwards to;
 * <li>SETGID, SETUID: dropping privileges ({@code apt} downloads as {@code _apt}, {@code su}, {@code runuser},
 * servers starting as root and switching to their own user).
 * </ul>
 * Dropped compared to the container runtime's defaults: MKNOD, NET_RAW (raw sockets: spoofing on the
 * pod network, ping), SETPCAP, SETFCAP (file capabilities) and SYS_CHROOT, which a shell rarely
 * needs. Names are checked against the kernel's list ({@link LinuxCapability}); one outside
 * PodSecurity baseline's list (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, NET_RAW, MKNOD, BPF, ...) stops the
 * start unless {@code allowDangerousCapabilities} ({@code SANDBOX_ALLOW_DANGEROUS_CAPABILITIES}, false);
 * such a pod also needs a namespace that does not enforce baseline.
 * <li>{@code ephemeralStorageLimit} ({@code SANDBOX_EPHEMERAL_STORAGE_LIMIT}, 2Gi): the container's
 * {@code ephemeral-storage} limit: its writable layer, its logs and the workspace together. Beyond it
 * the kubelet evicts the pod, so a sandbox cannot fill the node's disk. The request is derived as for
 * cpu and memory ({@code SANDBOX_REQUEST_RATIO}; 64Mi at ratio 0).
 * <li>{@code workspaceSizeLimit} ({@code SANDBOX_WORKSPACE_SIZE_LIMIT}, 1Gi): {@code sizeLimit} of the
 * {@code /workspace} emptyDir; beyond it the pod is evicted. At most the ephemeral-storage limit, which
 * the workspace counts towards anyway.
 * <li>{@code nodeSelector} ({@code SANDBOX_NODE_SELECTOR}, none), {@code tolerations}
 * ({@code SANDBOX_TOLERATIONS}, none): a dedicated node pool, e.g. {@code pool=sandboxes} and
 * {@code [{"key":"pool","operator":"Equal","value":"sandboxes","effect":"NoSchedule"}]}. Sandbox pods
 * tolerate no node-pressure taints: a node short of disk, memory or pids gets no new sandboxes.
 * <li>{@code hostUsers} ({@code SANDBOX_HOST_USERS}, true): false runs each sandbox in a user namespace
 * ({@code hostUsers: false}), root in the sandbox being an unprivileged user on the node. It needs
 * Kubernetes 1.33+ (or the UserNamespacesSupport gate), containerd 2.0+ or CRI-O 1.25+, runc 1.2+ or
 * crun 1.9+ and Linux 6.3+; elsewhere the pod fails to start, so it is off by default (the test bed's
 * containerd 1.6 cannot).
 * </ul>
 */
@ConfigurationProperties("liteboxd.sandbox.pod")
public record SandboxPodSettings(
        @Bindable(defaultValue = SandboxPodSettings.DEFAULT_CAPABILITIES) @Nullable String capabilities,
        @Bindable(defaultValue = "false") boolean allowDangerousCapabilities,
        @Bindable(defaultValue = "2Gi") @NotBlank String ephemeralStorageLimit,
        @Bindable(defaultValue = "1Gi") @NotBlank String workspaceSizeLimit,
        @Nullable String nodeSelector,
        @Nullable String tolerations,
        @Bindable(defaultValue = "true") boolean hostUsers) {

    public static final String DEFAULT_CAPABILITIES = "AUDIT_WRITE,CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETGID,SETUID";

    public SandboxPodSettings {
        // A mistake here must stop the API at start, not turn every sandbox create into a 500.
        check("capabilities", () -> CapabilityList.parse(capabilities, allowDangerousCapabilities));
        check("nodeSelector", () -> NodeSelector.parse(nodeSelector));
        check("tolerations", () -> Tolerations.parse(tolerations));
        for (String[] quantity : new String[][] {{"ephemeralStorageLimit", ephemeralStorageLimit},
                {"workspaceSizeLimit", workspaceSizeLimit}}) {
            if (quantity[1] != null && !quantity[1].isBlank()
                    && (!Quantities.isValid(quantity[1]) || Quantities.value(quantity[1]).signum() <= 0)) {
                throw new IllegalArgumentException("liteboxd.sandbox.pod." + quantity[0]
                        + " is not a positive quantity: " + quantity[1]);
            }
        }
        if (Quantities.isValid(ephemeralStorageLimit) && Quantities.isValid(workspaceSizeLimit)
                && Quantities.value(workspaceSizeLimit).compareTo(Quantities.value(ephemeralStorageLimit)) > 0) {
            // The workspace counts towards the container's ephemeral storage: its own limit could never be reached.
            throw new IllegalArgumentException("liteboxd.sandbox.pod.workspaceSizeLimit " + workspaceSizeLimit
                    + " exceeds ephemeralStorageLimit " + ephemeralStorageLimit);
        }
    }

    private static void check(String field, Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("liteboxd.sandbox.pod." + field + ": " + e.getMessage(), e);
        }
    }
}
