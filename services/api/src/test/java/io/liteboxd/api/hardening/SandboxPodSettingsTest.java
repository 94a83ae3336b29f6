package io.liteboxd.api.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SANDBOX_* pod settings: what stops the API at start, with a message that names the setting. */
class SandboxPodSettingsTest {

    static SandboxPodSettings settings(String capabilities, boolean dangerous, String storage, String workspace,
                                       String nodeSelector, String tolerations) {
        return new SandboxPodSettings(capabilities, dangerous, storage, workspace, nodeSelector, tolerations, true);
    }

    static String refused(String capabilities, boolean dangerous, String storage, String workspace,
                          String nodeSelector, String tolerations) {
        return assertThrows(IllegalArgumentException.class,
                () -> settings(capabilities, dangerous, storage, workspace, nodeSelector, tolerations)).getMessage();
    }

    @Test
    void theDefaultsAreValidAndNeedNoDangerousCapability() {
        settings(SandboxPodSettings.DEFAULT_CAPABILITIES, false, "2Gi", "1Gi", null, null);
        assertTrue(CapabilityList.parse(SandboxPodSettings.DEFAULT_CAPABILITIES, false).stream()
                .noneMatch(LinuxCapability::dangerous));
    }

    @Test
    void capabilityNumbersAreTheKernels() {
        // include/uapi/linux/capability.h: the bit CapEff shows for each.
        assertEquals(0, LinuxCapability.CHOWN.ordinal());
        assertEquals(10, LinuxCapability.NET_BIND_SERVICE.ordinal());
        assertEquals(13, LinuxCapability.NET_RAW.ordinal());
        assertEquals(21, LinuxCapability.SYS_ADMIN.ordinal());
        assertEquals(27, LinuxCapability.MKNOD.ordinal());
        assertEquals(31, LinuxCapability.SETFCAP.ordinal());
        assertEquals(39, LinuxCapability.BPF.ordinal());
        assertEquals(40, LinuxCapability.CHECKPOINT_RESTORE.ordinal());
    }

    @Test
    void anUnknownCapabilityIsRefused() {
        assertEquals("liteboxd.sandbox.pod.capabilities: not a Linux capability: 'CHWON' (names as in capabilities(7),"
                + " without CAP_)", refused("CHOWN,CHWON", false, "2Gi", "1Gi", "", ""));
        assertTrue(refused("ALL", false, "2Gi", "1Gi", "", "").contains("not a Linux capability: 'ALL'"));
    }

    @Test
    void dangerousCapabilitiesOnlyWhenExplicitlyAllowed() {
        for (String name : List.of("SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "NET_RAW", "SYS_RAWIO",
                "SYS_BOOT", "SYS_TIME", "MKNOD", "BPF", "PERFMON", "DAC_READ_SEARCH", "cap_sys_admin")) {
            String message = refused("CHOWN," + name, false, "2Gi", "1Gi", "", "");
            assertTrue(message.contains("SANDBOX_ALLOW_DANGEROUS_CAPABILITIES=true"), message);
            settings("CHOWN," + name, true, "2Gi", "1Gi", "", "");
        }
        assertEquals("liteboxd.sandbox.pod.capabilities: SYS_ADMIN, NET_RAW would let sandboxed code reach past its"
                + " container; set SANDBOX_ALLOW_DANGEROUS_CAPABILITIES=true to keep them anyway (docs/security.md)",
                refused("SYS_ADMIN,KILL,NET_RAW", false, "2Gi", "1Gi", "", ""));
        settings("SYS_CHROOT,AUDIT_WRITE,SETFCAP,SETPCAP", false, "2Gi", "1Gi", "", "");
    }

    @Test
    void storageLimitsArePositiveQuantitiesAndTheWorkspaceFitsTheContainer() {
        assertEquals("liteboxd.sandbox.pod.ephemeralStorageLimit is not a positive quantity: 2GB",
                refused("", false, "2GB", "1Gi", "", ""));
        assertEquals("liteboxd.sandbox.pod.workspaceSizeLimit is not a positive quantity: 0",
                refused("", false, "2Gi", "0", "", ""));
        assertEquals("liteboxd.sandbox.pod.workspaceSizeLimit 4Gi exceeds ephemeralStorageLimit 2Gi",
                refused("", false, "2Gi", "4Gi", "", ""));
        settings("", false, "2G", "2G", "", "");
    }

    @Test
    void nodeSelectorIsKeyValuePairs() {
        assertEquals(Map.of("pool", "sandboxes", "example.com/zone", "a", "empty", ""),
                NodeSelector.parse(" pool=sandboxes, example.com/zone=a,empty=,"));
        assertEquals(Map.of(), NodeSelector.parse(""));
        assertEquals("liteboxd.sandbox.pod.nodeSelector: not key=value: 'pool'", refused("", false, "2Gi", "1Gi", "pool", ""));
        assertTrue(refused("", false, "2Gi", "1Gi", "bad key=x", "").contains("not a label key: 'bad key'"));
        assertTrue(refused("", false, "2Gi", "1Gi", "pool=a b", "").contains("not a label value: 'a b'"));
        assertTrue(refused("", false, "2Gi", "1Gi", "a=1,a=2", "").contains("label a named twice"));
    }

    @Test
    void tolerationsAreAJsonArrayTheApiServerWouldAccept() {
        assertEquals(2, Tolerations.parse("""
                [{"key":"pool","operator":"Equal","value":"sandboxes","effect":"NoSchedule"},
                 {"key":"liteboxd.io/sandbox","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]""").size());
        assertEquals(List.of(), Tolerations.parse(" "));
        for (String bad : List.of(
                "{\"key\":\"pool\"}",                                       // not an array
                "[{\"key\":\"pool\",",                                       // cut short
                "[{\"key\":\"pool\",\"efect\":\"NoSchedule\"}]",             // unknown field
                "[{\"key\":\"pool\",\"operator\":\"In\"}]",
                "[{\"operator\":\"Equal\",\"value\":\"x\"}]",
                "[{\"key\":\"pool\",\"operator\":\"Exists\",\"value\":\"x\"}]",
                "[{\"key\":\"pool\",\"effect\":\"NoScheduleX\"}]",
                "[{\"key\":\"pool\",\"effect\":\"NoSchedule\",\"tolerationSeconds\":5}]",
                "[{\"key\":\"bad key\"}]",
                "null")) {
            String message = refused("", false, "2Gi", "1Gi", "", bad);
            assertTrue(message.startsWith("liteboxd.sandbox.pod.tolerations: "), bad + " -> " + message);
        }
    }
}
