package io.liteboxd.controller;

import io.micronaut.runtime.Micronaut;

/** Entry point of the LiteBoxd controller service. */
public final class ControllerApplication {

    private ControllerApplication() {}

    public static void main(String[] args) {
        // No ASCII banner: every line on stdout is a JSON log record.
        Micronaut.build(args).mainClass(ControllerApplication.class).banner(false).start();
    }
}
