package io.liteboxd.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;

/** Real TLS ClientHellos, from the JDK's own TLS client: the first bytes a client sends into a tunnel. */
final class ClientHellos {

    private ClientHellos() {}

    static byte[] naming(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
        assertEquals(SSLEngineResult.Status.OK, result.getStatus());
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertEquals(0x16, hello[0], "a TLS handshake record");
        return hello;
    }
}
