package io.liteboxd.api.hardening;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code SANDBOX_CAPABILITIES}: a comma list of capability names, checked against the kernel's list. */
final class CapabilityList {

    private CapabilityList() {}

    /** The named capabilities in the given order, each once; blank entries are skipped, empty is none. */
    static List<LinuxCapability> parse(String text, boolean allowDangerous) {
        Set<LinuxCapability> kept = new LinkedHashSet<>();
        List<String> dangerous = new ArrayList<>();
        for (String entry : text == null ? new String[0] : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            LinuxCapability capability = LinuxCapability.named(entry).orElseThrow(() -> new IllegalArgumentException(
                    "not a Linux capability: '" + entry.trim() + "' (names as in capabilities(7), without CAP_)"));
            if (capability.dangerous() && !allowDangerous) {
                dangerous.add(capability.name());
            }
            kept.add(capability);
        }
        if (!dangerous.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", dangerous) + " would let sandboxed code reach past "
                    + "its container; set SANDBOX_ALLOW_DANGEROUS_CAPABILITIES=true to keep "
                    + (dangerous.size() == 1 ? "it" : "them") + " anyway (docs/security.md)");
        }
        return List.copyOf(kept);
    }
}
