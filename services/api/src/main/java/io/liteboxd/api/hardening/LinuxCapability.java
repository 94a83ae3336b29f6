package io.liteboxd.api.hardening;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Linux capabilities, in the kernel's order: {@link #ordinal()} is the capability's number
 * (include/uapi/linux/capability.h), which is its bit in {@code CapEff} of /proc/PID/status. Keep
 * the order when the kernel adds one.
 */
public enum LinuxCapability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    /**
     * What a sandbox may keep without {@code SANDBOX_ALLOW_DANGEROUS_CAPABILITIES}: the capabilities
     * PodSecurity {@code baseline} lets a pod add, minus MKNOD (device nodes are no use in a sandbox,
     * and the device cgroup is then the only thing between a node and its disks). Everything else
     * reaches past the container: the kernel (SYS_ADMIN, SYS_MODULE, BPF, PERFMON), the network
     * (NET_ADMIN, NET_RAW: spoofing on the pod network), other processes (SYS_PTRACE), the host's files
     * (DAC_READ_SEARCH: open_by_handle_at, the "shocker" escape), devices (SYS_RAWIO, MKNOD), the clock
     * (SYS_TIME) or the node itself (SYS_BOOT).
     */
    static final Set<LinuxCapability> BASELINE = EnumSet.of(AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL,
            NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT);

    public boolean dangerous() {
        return !BASELINE.contains(this);
    }

    /** A name as Kubernetes writes it ({@code CHOWN}); {@code CAP_CHOWN} and lower case are taken too. */
    public static Optional<LinuxCapability> named(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("CAP_") ? upper.substring(4) : upper;
        try {
            return Optional.of(valueOf(bare));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
