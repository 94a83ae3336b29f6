package io.liteboxd.api.runtime;

import java.util.regex.Pattern;

/** A RuntimeClass name is a DNS-1123 subdomain (the API server's rule for the object's name). */
public final class RuntimeClassNames {

    private static final Pattern SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    private RuntimeClassNames() {}

    public static boolean isValid(String name) {
        return name != null && name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
    }
}
