package io.liteboxd.common.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SandboxContractEgressTest {

    @Test
    void theProxyWatchesClaimedSandboxesLabelledForIt() {
        assertEquals("app=liteboxd,!liteboxd.io/pool,liteboxd.io/egress=proxy", SandboxContract.egressProxySelector());
    }
}
