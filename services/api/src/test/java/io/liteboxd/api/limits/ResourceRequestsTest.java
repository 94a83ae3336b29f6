package io.liteboxd.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Requests from limits: the fixed requests of before at ratio 0, limit × ratio otherwise. */
class ResourceRequestsTest {

    static ResourceRequests.Requests of(String cpu, String memory, String ratio) {
        return ResourceRequests.of(Quantity.fromString(cpu), Quantity.fromString(memory), new BigDecimal(ratio));
    }

    static void assertRequests(String cpu, String memory, ResourceRequests.Requests requests) {
        assertEquals(cpu, requests.cpu().toSuffixedString(), "cpu");
        assertEquals(memory, requests.memory().toSuffixedString(), "memory");
    }

    @Test
    void ratioZeroKeepsTheFixedRequestsNeverAboveTheLimit() {
        assertRequests("100m", "128Mi", of("500m", "512Mi", "0"));
        assertRequests("100m", "128Mi", of("2", "4Gi", "0"));
        assertRequests("50m", "96Mi", of("50m", "96Mi", "0"));
    }

    @Test
    void aRatioScalesTheLimits() {
        assertRequests("500m", "1Gi", of("2", "4Gi", "0.25"));
        assertRequests("125m", "128Mi", of("500m", "512Mi", "0.25"));
        assertRequests("2", "4Gi", of("2", "4Gi", "1"));
    }

    @Test
    void roundsUpToAMillicoreAndAByteSoARequestIsNeverZero() {
        assertEquals(new BigDecimal("0.001"), of("1m", "1Mi", "0.01").cpu().getNumber());
        assertEquals(new BigDecimal("0.334"), of("1", "1Mi", "0.3333").cpu().getNumber());
        assertEquals(new BigDecimal("334"), of("1", "1000", "0.3333").memory().getNumber());
        assertEquals(BigDecimal.ONE, of("1", "1", "0.01").memory().getNumber());
    }

    @Test
    void neverAboveTheLimit() {
        // 1 byte × 0.5 rounds up to 1 byte, which is the limit itself.
        var requests = of("1m", "1", "0.5");
        assertEquals(0, requests.cpu().getNumber().compareTo(new BigDecimal("0.001")));
        assertEquals(0, requests.memory().getNumber().compareTo(BigDecimal.ONE));
    }

    @Test
    void ephemeralStorageFollowsTheSameRuleWith64MiAsTheFixedRequest() {
        assertEquals("64Mi", ResourceRequests.ephemeralStorage(Quantity.fromString("2Gi"), BigDecimal.ZERO).toSuffixedString());
        assertEquals("32Mi", ResourceRequests.ephemeralStorage(Quantity.fromString("32Mi"), BigDecimal.ZERO).toSuffixedString());
        assertEquals("512Mi",
                ResourceRequests.ephemeralStorage(Quantity.fromString("2Gi"), new BigDecimal("0.25")).toSuffixedString());
    }
}
