package io.liteboxd.api.sandbox;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.openapi.models.V1Deployment;

/**
 * A bean that follows persistent sandboxes' Deployments. {@link SandboxDeploymentCache} registers
 * every one before its informer starts, so none misses the first list.
 */
public interface SandboxDeploymentListener extends ResourceEventHandler<V1Deployment> {}
