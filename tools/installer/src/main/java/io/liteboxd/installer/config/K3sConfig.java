package io.liteboxd.installer.config;

import java.nio.file.Path;
import java.util.List;

/**
 * How k3s is installed. {@code airgapBundle} is set only for {@link K3sSource#AIRGAP}; {@code
 * apiAddress} is the address written into the fetched kubeconfig.
 */
public record K3sConfig(
    String version,
    K3sSource source,
    K3sMirror mirror,
    String scriptUrl,
    Path airgapBundle,
    List<String> serverArgs,
    List<String> agentArgs,
    List<String> tlsSan,
    String apiAddress) {}
