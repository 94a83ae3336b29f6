package io.liteboxd.api.selftest;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Locale;

/** How one check of the isolation self-test came out; lower case in JSON. */
@Serdeable
public enum CheckStatus {
    /** The sandbox behaves as the template and the platform say it should. */
    PASS,
    /** It does not: a boundary is open, or a limit is not in effect. */
    FAIL,
    /** Could not be observed from inside (no tool in the image, nothing to compare with); says why. */
    SKIP;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
