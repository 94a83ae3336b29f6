package io.liteboxd.api.selftest;

import io.liteboxd.api.hardening.LinuxCapability;
import io.liteboxd.api.selftest.ProbeFacts.Connection;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The verdicts: the probe's facts held against the expectations. Pure, so unit-tested. */
final class IsolationChecks {

    /** cgroup v1 rounds a memory limit down to whole pages. */
    private static final long PAGE = 4096;
    /** Anything at or above this is cgroup v1's "no limit" (it reports 2^63 rounded to pages). */
    private static final BigInteger UNLIMITED_MEMORY = BigInteger.ONE.shiftLeft(62);

    private IsolationChecks() {}

    static List<Check> evaluate(ProbeFacts facts, Expectations expected) {
        List<Check> checks = new ArrayList<>();
        checks.add(facts.tokenPresent().map(present -> present
                        ? Check.fail("service-account-token", "absent", "present",
                                "a Kubernetes token is mounted: set automountServiceAccountToken false")
                        : Check.pass("service-account-token", "absent", "absent"))
                .orElseGet(() -> Check.skip("service-account-token", "absent", "the probe did not report it")));
        for (TargetKind kind : TargetKind.values()) {
            checks.add(kind == TargetKind.INTERNET ? internet(facts, expected) : fenced(kind, facts, expected));
            if (kind == TargetKind.METADATA) {
                checks.add(dns(facts));
            }
        }
        checks.add(seccomp(facts));
        checks.add(capabilities(facts, expected));
        checks.add(runtime(facts, expected));
        checks.add(cpu(facts, expected));
        checks.add(memory(facts, expected));
        return checks;
    }

    private static Check fenced(TargetKind kind, ProbeFacts facts, Expectations expected) {
        String want = "unreachable: " + kind.what();
        List<Connection> tries = connections(facts, kind);
        if (tries.isEmpty()) {
            return Check.skip(kind.label(), want, expected.unprobed().getOrDefault(kind, "nothing to probe"));
        }
        String seen = describe(tries);
        if (tries.stream().anyMatch(Connection::reached)) {
            return Check.fail(kind.label(), want, seen, "a packet came back from " + kind.what()
                    + ": the sandbox's network policies do not fence it off");
        }
        if (tries.stream().allMatch(Connection::blocked)) {
            return Check.pass(kind.label(), want, seen);
        }
        return new Check(kind.label(), CheckStatus.SKIP, want, seen, unobservable(facts));
    }

    private static Check internet(ProbeFacts facts, Expectations expected) {
        String name = TargetKind.INTERNET.label();
        String want = expected.internetAllowed() ? "reachable (the template allows internet access)"
                : "unreachable (the template does not allow internet access)";
        List<Connection> tries = connections(facts, TargetKind.INTERNET);
        if (tries.isEmpty()) {
            return Check.skip(name, want, expected.unprobed().getOrDefault(TargetKind.INTERNET, "nothing to probe"));
        }
        String seen = describe(tries);
        boolean reached = tries.stream().anyMatch(Connection::reached);
        boolean blocked = tries.stream().allMatch(Connection::blocked);
        if (expected.internetAllowed() ? reached : blocked) {
            return Check.pass(name, want, seen);
        }
        if (expected.internetAllowed() ? blocked : reached) {
            return Check.fail(name, want, seen, expected.internetAllowed()
                    ? "the template allows internet access but nothing answered: check the egress policy and the cluster's route out"
                    : "the internet answered although the template does not allow it");
        }
        return new Check(name, CheckStatus.SKIP, want, seen, unobservable(facts));
    }

    private static Check dns(ProbeFacts facts) {
        return facts.dnsAddress()
                .map(address -> Check.pass("dns", "names resolve", "resolved to " + address))
                .orElseGet(() -> Check.fail("dns", "names resolve", "no answer",
                        "the sandbox cannot resolve names: check the DNS egress policy"));
    }

    private static Check seccomp(ProbeFacts facts) {
        String want = "a seccomp filter (Seccomp: 2)";
        if (facts.gvisor()) {
            return Check.skip("seccomp", want, "under gVisor /proc shows gVisor's own kernel, which has no filter "
                    + "of its own; the host's seccomp filter confines gVisor itself and is not visible from inside");
        }
        String mode = facts.status().get("Seccomp");
        if (mode == null) {
            return Check.skip("seccomp", want, "/proc/self/status has no Seccomp field");
        }
        return switch (mode) {
            case "2" -> Check.pass("seccomp", want, "filter (2)");
            case "1" -> Check.pass("seccomp", want, "strict (1)");
            default -> Check.fail("seccomp", want, "none (" + mode + ")",
                    "no seccomp filter: set seccompProfile RuntimeDefault");
        };
    }

    private static Check capabilities(ProbeFacts facts, Expectations expected) {
        String want = "no CAP_SYS_ADMIN; at most " + names(expected.granted());
        String hex = facts.status().get("CapEff");
        if (hex == null) {
            return Check.skip("capabilities", want, "/proc/self/status has no CapEff field");
        }
        Set<LinuxCapability> effective;
        try {
            effective = decode(hex);
        } catch (NumberFormatException e) {
            return Check.skip("capabilities", want, "CapEff is not a hex mask: " + hex);
        }
        String seen = names(effective);
        Set<LinuxCapability> extra = EnumSet.noneOf(LinuxCapability.class);
        extra.addAll(effective);
        extra.removeAll(expected.granted());
        if (effective.contains(LinuxCapability.SYS_ADMIN)) {
            return Check.fail("capabilities", want, seen, "CAP_SYS_ADMIN is effective");
        }
        if (!extra.isEmpty()) {
            return Check.fail("capabilities", want, seen, "more than the pod was granted: " + names(extra));
        }
        return Check.pass("capabilities", want, seen);
    }

    private static Check runtime(ProbeFacts facts, Expectations expected) {
        String seen = (facts.gvisor() ? "gVisor" : "not gVisor") + (facts.kernel().isEmpty() ? "" : ": " + facts.kernel());
        if (expected.runtimeClassName().isEmpty()) {
            return Check.pass("runtime", "the cluster's default runtime", seen);
        }
        String handler = expected.runtimeHandler().orElse("");
        String want = "RuntimeClass " + expected.runtimeClassName() + (handler.isEmpty() ? "" : " (handler " + handler + ")");
        if (handler.equals(Expectations.GVISOR_HANDLER)) {
            want += ": gVisor";
            return facts.gvisor() ? Check.pass("runtime", want, seen)
                    : Check.fail("runtime", want, seen, "the sandbox runs on the node's kernel, not on gVisor's");
        }
        if (handler.equals("runc") || handler.equals("crun")) {
            want += ": the node's kernel";
            return facts.gvisor() ? Check.fail("runtime", want, seen, "gVisor where the handler says " + handler)
                    : Check.pass("runtime", want, seen);
        }
        return Check.pass("runtime", want, seen);
    }

    private static Check cpu(ProbeFacts facts, Expectations expected) {
        String want = expected.cpuMillis() + "m";
        String[] words = facts.cpu().split("\\s+");
        if (words.length != 2) {
            return Check.skip("cpu-limit", want, "the cgroup's CPU quota is not readable here (" + facts.cpu() + ")");
        }
        if (words[0].equals("max") || words[0].equals("-1")) {
            return Check.fail("cpu-limit", want, "unlimited", "no CPU quota on the sandbox's cgroup");
        }
        try {
            long quota = Long.parseLong(words[0]);
            long period = Long.parseLong(words[1]);
            long millis = Math.round(quota * 1000.0 / period);
            String seen = millis + "m (quota " + quota + "/" + period + " µs)";
            return Math.abs(millis - expected.cpuMillis()) <= 1 ? Check.pass("cpu-limit", want, seen)
                    : Check.fail("cpu-limit", want, seen, "the CPU quota differs from the pod's limit");
        } catch (NumberFormatException e) {
            return Check.skip("cpu-limit", want, "unexpected cgroup value: " + facts.cpu());
        }
    }

    private static Check memory(ProbeFacts facts, Expectations expected) {
        String want = expected.memoryBytes() + " bytes";
        String value = facts.memory();
        if (value.equals("max")) {
            return Check.fail("memory-limit", want, "unlimited", "no memory limit on the sandbox's cgroup");
        }
        BigInteger bytes;
        try {
            bytes = new BigInteger(value);
        } catch (NumberFormatException e) {
            return Check.skip("memory-limit", want, "the cgroup's memory limit is not readable here (" + value + ")");
        }
        if (bytes.compareTo(UNLIMITED_MEMORY) >= 0) {
            return Check.fail("memory-limit", want, "unlimited", "no memory limit on the sandbox's cgroup");
        }
        long difference = Math.abs(bytes.longValueExact() - expected.memoryBytes());
        return difference < PAGE ? Check.pass("memory-limit", want, bytes + " bytes")
                : Check.fail("memory-limit", want, bytes + " bytes", "the memory limit differs from the pod's limit");
    }

    /** CapEff's hex mask as capabilities; bits the enum does not know (newer kernels) are ignored. */
    static Set<LinuxCapability> decode(String hex) {
        BigInteger mask = new BigInteger(hex.strip(), 16);
        Set<LinuxCapability> set = EnumSet.noneOf(LinuxCapability.class);
        for (LinuxCapability capability : LinuxCapability.values()) {
            if (mask.testBit(capability.ordinal())) {
                set.add(capability);
            }
        }
        return set;
    }

    private static List<Connection> connections(ProbeFacts facts, TargetKind kind) {
        return facts.connections().stream().filter(c -> c.label().equals(kind.label())).toList();
    }

    private static String describe(List<Connection> tries) {
        return tries.stream().map(c -> c.target() + " " + c.outcome()).collect(Collectors.joining(", "));
    }

    private static String unobservable(ProbeFacts facts) {
        if (facts.tool().equals("none")) {
            return "the image has neither python3, bash with timeout, nor curl to open a connection with";
        }
        return facts.tool().equals("python3") ? "the attempt neither connected nor was blocked (see observed)"
                : "without python3 in the image a reset from the target and a rejection by a policy look the same";
    }

    private static String names(Set<LinuxCapability> capabilities) {
        return capabilities.isEmpty() ? "none"
                : capabilities.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }
}
