package io.liteboxd.api.kubernetes;

import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1.5}, {@code 512Mi}, {@code 1e3}), checked
 * before anything is stored so a bad value is a 400 here instead of a rejected pod later.
 */
public final class Quantities {

    private static final Pattern QUANTITY =
            Pattern.compile("^[+]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$");

    private Quantities() {}

    public static boolean isValid(String value) {
        return value != null && value.length() <= 64 && QUANTITY.matcher(value).matches();
    }
}
