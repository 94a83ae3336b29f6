package io.liteboxd.api.sandbox;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.openapi.models.V1Pod;

/**
 * A bean that follows sandbox pods. {@link SandboxPodCache} registers every one before its
 * informer starts, so none misses the first list.
 */
public interface SandboxPodListener extends ResourceEventHandler<V1Pod> {}
