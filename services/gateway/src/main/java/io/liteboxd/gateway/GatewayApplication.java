package io.liteboxd.gateway;

import io.micronaut.runtime.Micronaut;

/** Entry point of the LiteBoxd gateway service. */
public final class GatewayApplication {

    private GatewayApplication() {}

    public static void main(String[] args) {
        // No ASCII banner: every line on stdout is a JSON log record.
        Micronaut.build(args).mainClass(GatewayApplication.class).banner(false).start();
    }
}
