package io.liteboxd.egress.app;

import io.micronaut.runtime.Micronaut;

/** Entry point of the LiteBoxd egress proxy service. */
public final class EgressApplication {

    private EgressApplication() {}

    public static void main(String[] args) {
        // No ASCII banner: every line on stdout is a JSON log record.
        Micronaut.build(args).mainClass(EgressApplication.class).banner(false).start();
    }
}
