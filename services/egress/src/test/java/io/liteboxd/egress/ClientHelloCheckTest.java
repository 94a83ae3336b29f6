package io.liteboxd.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SNI rule; the integration test sends real ClientHellos through a tunnel. */
class ClientHelloCheckTest {

    @Test
    void theServerNameMustBeTheConnectHost() {
        HostPort target = new HostPort("pypi.org", 443);
        assertEquals(Optional.empty(), ClientHelloCheck.refusal(target, "pypi.org"));
        assertEquals(Optional.empty(), ClientHelloCheck.refusal(target, "PyPI.org."));
        assertEquals(Optional.of("sni mismatch: evil.test"), ClientHelloCheck.refusal(target, "evil.test"));
        assertEquals(Optional.of("sni mismatch: files.pypi.org"), ClientHelloCheck.refusal(target, "files.pypi.org"));
        assertEquals(Optional.of("sni mismatch: evil.test"),
                ClientHelloCheck.refusal(new HostPort("pypi.org", 8443), "evil.test"), "on every port");
    }

    @Test
    void noServerNameIsRefusedOnlyOn443() {
        assertEquals(Optional.of(EgressDecision.NO_SNI), ClientHelloCheck.refusal(new HostPort("pypi.org", 443), null));
        assertEquals(Optional.empty(), ClientHelloCheck.refusal(new HostPort("pypi.org", 80), null));
    }
}
