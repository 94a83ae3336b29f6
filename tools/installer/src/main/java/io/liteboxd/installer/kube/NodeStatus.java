package io.liteboxd.installer.kube;

/**
 * One Kubernetes node as `kubectl get nodes -o json` reports it. {@code ready} is true only when
 * the Ready condition's status is exactly "True" (a NotReady node is not ready, whatever its text).
 */
public record NodeStatus(String name, String internalIP, boolean ready, String readyReason, String kubeletVersion) {}
