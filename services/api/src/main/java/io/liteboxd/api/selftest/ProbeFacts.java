package io.liteboxd.api.selftest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the probe (resources/selftest/probe.sh) printed, one fact a line, as data. Lines it does
 * not know are ignored, so an image whose shell prints a banner cannot break the parse; a fact
 * that is missing stays empty and its check is skipped.
 */
record ProbeFacts(String tool, Optional<Boolean> tokenPresent, Optional<String> dnsAddress, String kernel,
                  boolean gvisor, Map<String, String> status, String memory, String cpu, List<Connection> connections) {

    /** One connection attempt: the target's label, its address, and how it ended. */
    record Connection(String label, String target, String outcome) {

        /** The target answered (accepted, or reset the connection): the network let the attempt through. */
        boolean reached() {
            return outcome.equals("open") || outcome.equals("refused");
        }

        /**
         * Dropped, or rejected on the way with an ICMP error: what a network policy does
         * ("closed", a refusal the probe could not attribute, is neither).
         */
        boolean blocked() {
            return outcome.equals("timeout") || outcome.equals("unreachable") || outcome.equals("rejected");
        }
    }

    static ProbeFacts parse(String output) {
        String tool = "";
        Boolean token = null;
        String dns = null;
        String kernel = "";
        boolean gvisor = false;
        Map<String, String> status = new LinkedHashMap<>();
        String memory = "unknown";
        String cpu = "unknown";
        List<Connection> connections = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] words = line.strip().split("\\s+");
            String rest = words.length > 1 ? line.strip().substring(words[0].length()).strip() : "";
            switch (words[0]) {
                case "tool" -> tool = rest;
                case "token" -> token = rest.equals("present") ? Boolean.TRUE : rest.equals("absent") ? Boolean.FALSE : null;
                case "dns" -> dns = words.length >= 4 && words[2].equals("ok") ? words[3] : null;
                case "kernel" -> kernel = rest;
                case "gvisor" -> gvisor = rest.equals("yes");
                case "status" -> {
                    if (words.length >= 3) {
                        status.put(words[1], words[2]);
                    }
                }
                case "memory" -> memory = rest.isEmpty() ? "unknown" : rest;
                case "cpu" -> cpu = rest.isEmpty() ? "unknown" : rest;
                case "tcp" -> {
                    if (words.length >= 4) {
                        connections.add(new Connection(words[1], words[2], words[3]));
                    }
                }
                default -> { }
            }
        }
        return new ProbeFacts(tool, Optional.ofNullable(token), Optional.ofNullable(dns), kernel, gvisor,
                Map.copyOf(status), memory, cpu, List.copyOf(connections));
    }
}
