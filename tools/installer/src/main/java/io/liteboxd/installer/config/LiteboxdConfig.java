package io.liteboxd.installer.config;

import java.nio.file.Path;

/**
 * The LiteBoxd Helm release. {@code imageRegistry} and {@code imageTag} are null when not set
 * (the chart's defaults then apply). {@code chart} and {@code configDir} are null with
 * --cluster-only when not given.
 */
public record LiteboxdConfig(
    Path chart,
    String release,
    String namespaceSystem,
    String namespaceSandbox,
    Path configDir,
    String imageRegistry,
    String imageTag,
    int timeoutSeconds) {}
