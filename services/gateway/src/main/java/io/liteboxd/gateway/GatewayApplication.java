package io.liteboxd.gateway;

import io.micronaut.runtime.Micronaut;

/** Entry point of the LiteBoxd gateway service. */
public final class GatewayApplication {

    private GatewayApplication() {}

    public static void main(String[] args) {
        Micronaut.run(GatewayApplication.class, args);
    }
}
