package io.liteboxd.installer.config;

import java.nio.file.Path;

/** How the run behaves; {@code knownHostsFile} is null for the default beside the state file. */
public record RuntimeConfig(
    int parallelism,
    int sshTimeoutSeconds,
    int commandTimeoutSeconds,
    int readyTimeoutSeconds,
    boolean removeAbsentAgents,
    boolean dryRun,
    Path knownHostsFile) {}
