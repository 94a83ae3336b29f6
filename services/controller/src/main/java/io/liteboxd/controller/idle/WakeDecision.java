package io.liteboxd.controller.idle;

import static io.liteboxd.common.kubernetes.SandboxContract.WAKE_REQUESTED_AT_ANNOTATION;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.PersistentDeployment;

/**
 * Whether a persistent sandbox's Deployment asks to be woken: the gateway wrote
 * {@code liteboxd.io/wake-requested-at} on a stopped ({@code replicas} 0) one that is not being
 * deleted. A request on a running one (a start that raced it) needs nothing: the next stop clears it.
 */
final class WakeDecision {

    private WakeDecision() {}

    static boolean wanted(V1Deployment deployment) {
        return deployment.getMetadata().getDeletionTimestamp() == null
                && PersistentDeployment.replicas(deployment) == 0
                && Annotations.get(deployment, WAKE_REQUESTED_AT_ANNOTATION) != null;
    }
}
