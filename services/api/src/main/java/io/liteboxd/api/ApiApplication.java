package io.liteboxd.api;

import io.micronaut.runtime.Micronaut;

/** Entry point of the LiteBoxd api service. */
public final class ApiApplication {

    private ApiApplication() {}

    public static void main(String[] args) {
        // No ASCII banner: every line on stdout is a JSON log record.
        Micronaut.build(args).mainClass(ApiApplication.class).banner(false).start();
    }
}
