package io.liteboxd.api.hardening;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code SANDBOX_NODE_SELECTOR}: {@code key=value} pairs separated by commas, e.g. {@code pool=sandboxes,zone=a}. */
final class NodeSelector {

    private static final String NAME = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)";
    private static final Pattern KEY =
            Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?" + NAME);
    private static final Pattern VALUE = Pattern.compile(NAME + "?");

    private NodeSelector() {}

    /** The labels a node must carry, in the given order; empty text is none. */
    static Map<String, String> parse(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String entry : text == null ? new String[0] : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("not key=value: '" + entry.trim() + "'");
            }
            String key = entry.substring(0, equals).trim();
            String value = entry.substring(equals + 1).trim();
            // The API server would refuse every sandbox pod with such a label; say it at start instead.
            if (key.indexOf('/') > 253 || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("not a label key: '" + key + "'");
            }
            if (!VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("not a label value: '" + value + "' (of " + key + ")");
            }
            if (labels.put(key, value) != null) {
                throw new IllegalArgumentException("label " + key + " named twice");
            }
        }
        return labels;
    }
}
