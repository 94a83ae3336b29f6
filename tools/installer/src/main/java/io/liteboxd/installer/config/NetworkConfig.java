package io.liteboxd.installer.config;

/** The pod network; {@code cilium} is null when {@code cni} is NONE. */
public record NetworkConfig(Cni cni, CiliumConfig cilium) {}
