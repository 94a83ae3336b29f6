package io.liteboxd.controller;

import io.micronaut.runtime.Micronaut;

/** Entry point of the LiteBoxd controller service. */
public final class ControllerApplication {

    private ControllerApplication() {}

    public static void main(String[] args) {
        Micronaut.run(ControllerApplication.class, args);
    }
}
