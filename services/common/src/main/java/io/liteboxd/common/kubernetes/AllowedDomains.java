package io.liteboxd.common.kubernetes;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The value of {@link SandboxContract#ALLOWED_DOMAINS_ANNOTATION}: a JSON array of strings, the
 * template's allowlist as the API normalised it. The API writes it, the egress proxy reads it;
 * one codec, so both agree on the format. Whether each entry is a domain is the reader's check.
 */
public final class AllowedDomains {

    /** No HTML escaping: {@code *.example.com} and friends stay readable in {@code kubectl}. */
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

    private AllowedDomains() {}

    public static String format(List<String> domains) {
        return JSON.toJson(List.copyOf(domains));
    }

    /**
     * The entries, or empty when {@code value} is missing or not a JSON array of strings: the
     * reader then treats the pod as having no policy (fail closed), never as allowing anything.
     */
    public static Optional<List<String>> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonElement root = JsonParser.parseString(value);
            if (!root.isJsonArray()) {
                return Optional.empty();
            }
            JsonArray array = root.getAsJsonArray();
            List<String> domains = new ArrayList<>(array.size());
            for (JsonElement entry : array) {
                if (!entry.isJsonPrimitive() || !entry.getAsJsonPrimitive().isString()) {
                    return Optional.empty();
                }
                domains.add(entry.getAsString());
            }
            return Optional.of(List.copyOf(domains));
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }
}
