package io.liteboxd.api.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.hardening.LinuxCapability;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The verdicts, on probe output recorded on the test bed (runc and gVisor, 500m/300Mi, CHOWN and
 * KILL granted) with the facts varied one at a time.
 */
class IsolationChecksTest {

    static final String RUNC_FENCED = """
            tool python3
            token absent
            dns kubernetes.default ok 10.96.0.1
            kernel Linux version 6.18.44-fc-v657 (builder@sandboxing) #1 SMP PREEMPT_DYNAMIC @0
            gvisor no
            status CapEff 0000000000000021
            status CapBnd 0000000000000021
            status NoNewPrivs 0
            status Seccomp 2
            memory 314572800
            cpu 50000 100000
            tcp kubernetes-api 10.96.0.1:443 rejected
            tcp node 10.244.0.1:10250 timeout
            tcp control-plane liteboxd-api.liteboxd-system.svc:8080 timeout
            tcp other-sandbox 10.244.0.9:8080 timeout
            tcp metadata-endpoint 169.254.169.254:80 timeout
            tcp internet 192.0.2.2:9 timeout
            """;

    static final String GVISOR_OPEN = """
            tool python3
            token absent
            dns kubernetes.default ok 10.96.0.1
            kernel Linux version 4.19.0-gvisor #1 SMP Sun Jan 10 15:06:54 PST 2016
            gvisor yes
            status CapEff 0000000000000021
            status Seccomp 0
            memory 314572800
            cpu 50000 100000
            tcp kubernetes-api 10.96.0.1:443 open
            tcp node 10.244.0.1:10250 open
            tcp metadata-endpoint 169.254.169.254:80 timeout
            tcp internet 192.0.2.2:9 refused
            """;

    static Expectations expect(String runtimeClass, String handler, boolean internet) {
        return new Expectations(runtimeClass, Optional.ofNullable(handler), internet, 500, 300L * 1024 * 1024,
                EnumSet.of(LinuxCapability.CHOWN, LinuxCapability.KILL), Map.of());
    }

    static Map<String, Check> checks(String output, Expectations expected) {
        return IsolationChecks.evaluate(ProbeFacts.parse(output), expected).stream()
                .collect(Collectors.toMap(Check::name, Function.identity()));
    }

    static Map<String, CheckStatus> statuses(String output, Expectations expected) {
        return checks(output, expected).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().status()));
    }

    @Test
    void aFencedRuncSandboxPassesEverything() {
        List<Check> list = IsolationChecks.evaluate(ProbeFacts.parse(RUNC_FENCED), expect("", null, false));
        assertEquals(List.of("service-account-token", "kubernetes-api", "node", "control-plane", "other-sandbox",
                "metadata-endpoint", "dns", "internet", "seccomp", "capabilities", "runtime", "cpu-limit",
                "memory-limit"), list.stream().map(Check::name).toList(), "every check, in the report's order");
        list.forEach(c -> assertEquals(CheckStatus.PASS, c.status(), c.toString()));
        assertTrue(IsolationReport.passed(list));
        Map<String, Check> byName = checks(RUNC_FENCED, expect("", null, false));
        assertEquals("CHOWN,KILL", byName.get("capabilities").observed());
        assertEquals("500m (quota 50000/100000 µs)", byName.get("cpu-limit").observed());
        assertEquals("not gVisor: Linux version 6.18.44-fc-v657 (builder@sandboxing) #1 SMP PREEMPT_DYNAMIC @0",
                byName.get("runtime").observed());
    }

    @Test
    void openPathsFailAndGvisorIsRecognised() {
        Map<String, Check> byName = checks(GVISOR_OPEN, expect("gvisor", "runsc", false));
        assertEquals(CheckStatus.FAIL, byName.get("kubernetes-api").status());
        assertEquals("10.96.0.1:443 open", byName.get("kubernetes-api").observed());
        assertEquals(CheckStatus.FAIL, byName.get("node").status());
        assertEquals(CheckStatus.FAIL, byName.get("internet").status(), "refused: the target reset the connection");
        assertEquals(CheckStatus.PASS, byName.get("metadata-endpoint").status());
        assertEquals(CheckStatus.PASS, byName.get("runtime").status());
        assertEquals(CheckStatus.SKIP, byName.get("seccomp").status(), "gVisor's /proc cannot show the host's filter");
        assertEquals(CheckStatus.SKIP, byName.get("control-plane").status(), "no target: nothing to probe");
        assertFalse(IsolationReport.passed(IsolationChecks.evaluate(ProbeFacts.parse(GVISOR_OPEN),
                expect("gvisor", "runsc", false))));
    }

    @Test
    void theRuntimeMustBeTheOneTheRuntimeClassNames() {
        assertEquals(CheckStatus.FAIL, statuses(RUNC_FENCED, expect("gvisor", "runsc", false)).get("runtime"));
        assertEquals(CheckStatus.FAIL, statuses(GVISOR_OPEN, expect("plain", "runc", false)).get("runtime"));
        assertEquals(CheckStatus.PASS, statuses(RUNC_FENCED, expect("kata", "kata-qemu", false)).get("runtime"));
    }

    @Test
    void internetMustBeReachableExactlyWhenAllowed() {
        assertEquals(CheckStatus.FAIL, statuses(RUNC_FENCED, expect("", null, true)).get("internet"));
        assertEquals(CheckStatus.PASS, statuses(GVISOR_OPEN, expect("", null, true)).get("internet"));
    }

    @Test
    void limitsAndPrivilegesAreHeldToThePod() {
        String unlimited = RUNC_FENCED.replace("memory 314572800", "memory 9223372036854771712")
                .replace("cpu 50000 100000", "cpu -1 100000");
        assertEquals(CheckStatus.FAIL, statuses(unlimited, expect("", null, false)).get("memory-limit"));
        assertEquals(CheckStatus.FAIL, statuses(unlimited, expect("", null, false)).get("cpu-limit"));
        String v2 = RUNC_FENCED.replace("cpu 50000 100000", "cpu max 100000").replace("memory 314572800", "memory max");
        assertEquals(CheckStatus.FAIL, statuses(v2, expect("", null, false)).get("cpu-limit"));
        assertEquals(CheckStatus.FAIL, statuses(v2, expect("", null, false)).get("memory-limit"));
        String other = RUNC_FENCED.replace("cpu 50000 100000", "cpu 100000 100000");
        assertEquals(CheckStatus.FAIL, statuses(other, expect("", null, false)).get("cpu-limit"));

        String sysAdmin = RUNC_FENCED.replace("CapEff 0000000000000021", "CapEff 0000000000200021");
        Check caps = checks(sysAdmin, expect("", null, false)).get("capabilities");
        assertEquals(CheckStatus.FAIL, caps.status());
        assertEquals("CHOWN,KILL,SYS_ADMIN", caps.observed());
        String netRaw = RUNC_FENCED.replace("CapEff 0000000000000021", "CapEff 0000000000002021");
        assertEquals("more than the pod was granted: NET_RAW", checks(netRaw, expect("", null, false))
                .get("capabilities").detail());
        assertEquals(CheckStatus.FAIL, statuses(RUNC_FENCED.replace("Seccomp 2", "Seccomp 0"),
                expect("", null, false)).get("seccomp"));
        assertEquals(CheckStatus.FAIL, statuses(RUNC_FENCED.replace("token absent", "token present"),
                expect("", null, false)).get("service-account-token"));
        assertEquals(CheckStatus.FAIL, statuses(RUNC_FENCED.replace("ok 10.96.0.1", "fail"),
                expect("", null, false)).get("dns"));
    }

    @Test
    void whatCannotBeObservedIsSkippedWithTheReason() {
        String noTool = """
                tool none
                tcp kubernetes-api 10.96.0.1:443 notool
                banner from a chatty shell
                """;
        Map<String, Check> byName = checks(noTool, new Expectations("", Optional.empty(), false, 500, 1024,
                EnumSet.noneOf(LinuxCapability.class), Map.of(TargetKind.OTHER_SANDBOX, "no other sandbox is running to try")));
        assertEquals(CheckStatus.SKIP, byName.get("kubernetes-api").status());
        assertTrue(byName.get("kubernetes-api").detail().contains("neither python3"));
        assertEquals("no other sandbox is running to try", byName.get("other-sandbox").detail());
        assertEquals(CheckStatus.SKIP, byName.get("service-account-token").status());
        assertEquals(CheckStatus.SKIP, byName.get("cpu-limit").status());
        assertEquals(CheckStatus.SKIP, byName.get("memory-limit").status());
        assertEquals(CheckStatus.SKIP, byName.get("capabilities").status());
    }

    @Test
    void aRefusalNobodyCouldAttributeDecidesNothing() {
        String bash = RUNC_FENCED.replace("tool python3", "tool bash").replace("10.96.0.1:443 rejected", "10.96.0.1:443 closed");
        Check api = checks(bash, expect("", null, false)).get("kubernetes-api");
        assertEquals(CheckStatus.SKIP, api.status());
        assertTrue(api.detail().contains("without python3"), api.detail());
    }

    @Test
    void capEffDecodesToTheKernelsNumbering() {
        assertEquals(EnumSet.of(LinuxCapability.CHOWN, LinuxCapability.DAC_OVERRIDE, LinuxCapability.FOWNER,
                        LinuxCapability.FSETID, LinuxCapability.KILL, LinuxCapability.SETGID, LinuxCapability.SETUID,
                        LinuxCapability.NET_BIND_SERVICE, LinuxCapability.AUDIT_WRITE),
                IsolationChecks.decode("00000000200004fb"));
    }
}
