package io.liteboxd.api.usage;

import io.kubernetes.client.custom.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A metrics.k8s.io {@code PodMetrics} object read into one pod's totals (the sum over its
 * containers). Pure, so unit-tested.
 */
record PodMetrics(double cpuCores, double memoryBytes) {

    @SuppressWarnings("unchecked")
    static Optional<PodMetrics> read(Map<String, Object> podMetrics) {
        if (podMetrics == null || !(podMetrics.get("containers") instanceof List<?> containers) || containers.isEmpty()) {
            return Optional.empty();
        }
        double cpu = 0;
        double memory = 0;
        for (Object c : containers) {
            if (!(c instanceof Map<?, ?> container) || !(container.get("usage") instanceof Map<?, ?> usage)) {
                continue;
            }
            cpu += quantity(usage.get("cpu"));
            memory += quantity(usage.get("memory"));
        }
        return Optional.of(new PodMetrics(cpu, memory));
    }

    private static double quantity(Object text) {
        if (text == null) {
            return 0;
        }
        try {
            return Quantity.fromString(text.toString()).getNumber().doubleValue();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
