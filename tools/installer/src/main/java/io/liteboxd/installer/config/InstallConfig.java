package io.liteboxd.installer.config;

import java.nio.file.Path;

/** A whole configuration file, validated; {@code file} is where it was read from. */
public record InstallConfig(
    Path file, ClusterConfig cluster, NetworkConfig network, LiteboxdConfig liteboxd, RuntimeConfig runtime) {}
