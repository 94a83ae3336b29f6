package io.liteboxd.api.selftest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** One line of the report: what was expected, what the probe saw, and the verdict. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Check(String name, CheckStatus status, String expected, String observed, @Nullable String detail) {

    static Check pass(String name, String expected, String observed) {
        return new Check(name, CheckStatus.PASS, expected, observed, null);
    }

    static Check fail(String name, String expected, String observed, @Nullable String detail) {
        return new Check(name, CheckStatus.FAIL, expected, observed, detail);
    }

    static Check skip(String name, String expected, String why) {
        return new Check(name, CheckStatus.SKIP, expected, "", why);
    }
}
