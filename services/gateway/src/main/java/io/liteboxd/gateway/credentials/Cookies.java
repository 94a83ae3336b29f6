package io.liteboxd.gateway.credentials;

import java.util.ArrayList;
import java.util.List;

/**
 * The pairs of a request's {@code Cookie} header ({@code a=1; b=2}, RFC 6265 §4.2), read the
 * way a server would: a pair without {@code =} is a name with an empty value.
 */
public final class Cookies {

    /** One {@code name=value}; {@code text} is the pair as it was sent. */
    public record Pair(String name, String value, String text) {}

    private Cookies() {}

    public static List<Pair> parse(String header) {
        List<Pair> pairs = new ArrayList<>();
        for (String part : header.split(";")) {
            String text = part.trim();
            if (text.isEmpty()) {
                continue;
            }
            int eq = text.indexOf('=');
            String name = (eq < 0 ? text : text.substring(0, eq)).trim();
            String value = eq < 0 ? "" : unquote(text.substring(eq + 1).trim());
            pairs.add(new Pair(name, value, text));
        }
        return pairs;
    }

    /** The first value of a cookie among the request's Cookie headers, or null. */
    public static String first(List<String> headers, String name) {
        for (String header : headers) {
            for (Pair pair : parse(header)) {
                if (pair.name().equals(name) && !pair.value().isEmpty()) {
                    return pair.value();
                }
            }
        }
        return null;
    }

    /** Every non-empty value of a cookie among the request's Cookie headers, at most {@code limit}, in order. */
    public static List<String> all(List<String> headers, String name, int limit) {
        List<String> values = new ArrayList<>();
        for (String header : headers) {
            for (Pair pair : parse(header)) {
                if (values.size() < limit && pair.name().equals(name) && !pair.value().isEmpty()) {
                    values.add(pair.value());
                }
            }
        }
        return values;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
