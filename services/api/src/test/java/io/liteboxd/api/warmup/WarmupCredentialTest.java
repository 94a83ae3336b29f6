package io.liteboxd.api.warmup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpMethod;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class WarmupCredentialTest {

    private final WarmupCredential credential = new WarmupCredential();

    @Test
    void acceptsItsOwnValueOnAGetFromLoopbackOnly() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertTrue(credential.accepts(HttpMethod.GET, credential.value(), loopback));
        assertTrue(credential.accepts(HttpMethod.GET, credential.value(), InetAddress.getByName("::1")));
        assertFalse(credential.accepts(HttpMethod.GET, credential.value(), InetAddress.getByName("10.42.0.7")),
                "another pod (a sandbox) with the value");
        assertFalse(credential.accepts(HttpMethod.POST, credential.value(), loopback), "writes");
        assertFalse(credential.accepts(HttpMethod.DELETE, credential.value(), loopback), "writes");
        assertFalse(credential.accepts(HttpMethod.GET, credential.value() + "0", loopback), "another value");
        assertFalse(credential.accepts(HttpMethod.GET, "", loopback), "an empty value");
        assertFalse(credential.accepts(HttpMethod.GET, null, loopback), "no header");
        assertFalse(credential.accepts(HttpMethod.GET, credential.value(), null), "no peer");
    }

    @Test
    void refusesEverythingOnceRevoked() throws Exception {
        credential.revoke();
        assertFalse(credential.accepts(HttpMethod.GET, credential.value(), InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void isRandomPerProcess() {
        String value = credential.value();
        assertTrue(value.matches("[0-9a-f]{64}"), value);
        assertFalse(value.equals(new WarmupCredential().value()));
    }
}
