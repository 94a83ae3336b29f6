package io.liteboxd.api.usage;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The two PromQL queries behind a sandbox's usage, and the reading of their answers. Pure, so
 * unit-tested; the label values are escaped because a namespace or pod name ends up inside a
 * query string (they are Kubernetes names, but the escaping costs nothing).
 */
final class PrometheusQueries {

    private PrometheusQueries() {}

    /** CPU cores used, averaged over two minutes (cAdvisor's counter; container!="" drops the pod total). */
    static String cpu(String namespace, String pod) {
        return "sum(rate(container_cpu_usage_seconds_total{" + selector(namespace, pod) + "}[2m]))";
    }

    /** Working-set bytes, what the kubelet's eviction and metrics-server count. */
    static String memory(String namespace, String pod) {
        return "sum(container_memory_working_set_bytes{" + selector(namespace, pod) + "})";
    }

    private static String selector(String namespace, String pod) {
        return "namespace=\"" + escape(namespace) + "\",pod=\"" + escape(pod) + "\",container!=\"\"";
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * The value of an instant-vector answer ({@code {"status":"success","data":{"resultType":"vector",
     * "result":[{"value":[<time>,"<number>"]}]}}}); empty when there is no sample (a pod not scraped yet)
     * or the answer is not a success.
     */
    @SuppressWarnings("unchecked")
    static OptionalDouble value(Map<String, Object> answer) {
        if (answer == null || !"success".equals(answer.get("status"))
                || !(answer.get("data") instanceof Map<?, ?> data)
                || !(data.get("result") instanceof List<?> result) || result.isEmpty()
                || !(result.get(0) instanceof Map<?, ?> first)
                || !(first.get("value") instanceof List<?> pair) || pair.size() != 2) {
            return OptionalDouble.empty();
        }
        try {
            double v = Double.parseDouble(String.valueOf(pair.get(1)));
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
