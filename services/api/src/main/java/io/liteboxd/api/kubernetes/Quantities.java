package io.liteboxd.api.kubernetes;

import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1.5}, {@code 512Mi}, {@code 1e3}), checked
 * before anything is stored so a bad value is a 400 here instead of a rejected pod later, and
 * compared exactly (as the API server does: by value, whatever the suffix).
 */
public final class Quantities {

    private static final Pattern QUANTITY =
            Pattern.compile("^[+]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$");

    private Quantities() {}

    public static boolean isValid(String value) {
        if (value == null || value.length() > 64 || !QUANTITY.matcher(value).matches()) {
            return false;
        }
        try {
            Quantity.fromString(value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The exact value of a quantity {@link #isValid} accepted ({@code 512Mi} = 536870912, {@code 500m} = 0.5). */
    public static BigDecimal value(String quantity) {
        if (!isValid(quantity)) {
            throw new IllegalArgumentException("not a valid quantity: " + quantity);
        }
        return Quantity.fromString(quantity).getNumber();
    }
}
