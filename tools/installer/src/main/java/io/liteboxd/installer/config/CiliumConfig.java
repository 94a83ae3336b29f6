package io.liteboxd.installer.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The Cilium Helm release: a local chart, its values (inline and files). */
public record CiliumConfig(
    Path chart, String version, String namespace, Map<String, Object> values, List<Path> valuesFiles) {}
