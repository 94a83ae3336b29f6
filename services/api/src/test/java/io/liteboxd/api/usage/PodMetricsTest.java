package io.liteboxd.api.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodMetricsTest {

    @Test
    void sumsTheContainersQuantities() {
        // The shape metrics-server serves at /apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods/{name}.
        Map<String, Object> podMetrics = Map.of("kind", "PodMetrics", "window", "15s", "containers", List.of(
                Map.of("name", "main", "usage", Map.of("cpu", "12500000n", "memory", "20Mi")),
                Map.of("name", "side", "usage", Map.of("cpu", "5m", "memory", "1024Ki"))));
        PodMetrics m = PodMetrics.read(podMetrics).orElseThrow();
        assertEquals(0.0175, m.cpuCores(), 1e-9);
        assertEquals(21.0 * 1024 * 1024, m.memoryBytes(), 0.5);
    }

    @Test
    void noContainersIsNoSample() {
        assertTrue(PodMetrics.read(Map.of("containers", List.of())).isEmpty());
        assertTrue(PodMetrics.read(null).isEmpty());
    }
}
