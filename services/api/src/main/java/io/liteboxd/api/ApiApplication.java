package io.liteboxd.api;

import io.micronaut.runtime.Micronaut;

/** Entry point of the LiteBoxd api service. */
public final class ApiApplication {

    private ApiApplication() {}

    public static void main(String[] args) {
        Micronaut.run(ApiApplication.class, args);
    }
}
