package io.liteboxd.api.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusQueriesTest {

    @Test
    void queriesSelectTheSandboxPodsContainers() {
        assertEquals("sum(rate(container_cpu_usage_seconds_total{namespace=\"liteboxd-sandbox\",pod=\"sandbox-ab12cd34\","
                + "container!=\"\"}[2m]))", PrometheusQueries.cpu("liteboxd-sandbox", "sandbox-ab12cd34"));
        assertEquals("sum(container_memory_working_set_bytes{namespace=\"ns\",pod=\"p\",container!=\"\"})",
                PrometheusQueries.memory("ns", "p"));
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\n", PrometheusQueries.escape("a\"b\\c\n"));
        assertTrue(PrometheusQueries.cpu("ns", "x\"}) or vector(1) #").contains("pod=\"x\\\"}) or vector(1) #\""));
    }

    @Test
    void readsAnInstantVector() {
        Map<String, Object> answer = Map.of("status", "success", "data", Map.of("resultType", "vector",
                "result", List.of(Map.of("metric", Map.of(), "value", List.of(1733011200.5, "0.0125")))));
        assertEquals(OptionalDouble.of(0.0125), PrometheusQueries.value(answer));
    }

    @Test
    void noSampleOrAFailureIsEmpty() {
        assertEquals(OptionalDouble.empty(), PrometheusQueries.value(Map.of("status", "success",
                "data", Map.of("resultType", "vector", "result", List.of()))));
        assertEquals(OptionalDouble.empty(), PrometheusQueries.value(Map.of("status", "error", "error", "bad query")));
        assertEquals(OptionalDouble.empty(), PrometheusQueries.value(Map.of("status", "success", "data", Map.of(
                "result", List.of(Map.of("value", List.of(1, "NaN")))))));
        assertEquals(OptionalDouble.empty(), PrometheusQueries.value(null));
    }
}
