package io.liteboxd.common.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Status;
import org.junit.jupiter.api.Test;

/** How client-java reads answers once our Gson is installed (pure parsing, no cluster). */
class TolerantModelJsonTest {

    @Test
    void aDeleteAnsweredWithTheObjectReadsAsASuccessfulStatus() {
        TolerantModelJson.install();
        V1Status fromNamespace = JSON.deserialize(
                "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"},\"status\":{\"phase\":\"Terminating\"}}",
                V1Status.class);
        assertEquals("Success", fromNamespace.getStatus());
        assertEquals("Namespace", fromNamespace.getKind());

        V1Status real = JSON.deserialize(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}",
                V1Status.class);
        assertEquals("Failure", real.getStatus());
        assertEquals(404, real.getCode());
    }
}
