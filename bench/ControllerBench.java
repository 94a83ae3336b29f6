// Controller benchmark, run by bench/controller.sh with the controller's jar on the class path
// (java's source launcher; nothing here is part of the product). Three controller processes run
// already (identities given as name=pid). Measures: TTL lateness over 20 sandboxes, failover
// after the leader is killed, hand-over after the leader gets SIGTERM, and how long a pre-pull
// of an image takes until the controller reports it completed.
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.util.Config;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.kubernetes.TolerantModelJson;
import io.liteboxd.common.prepull.PrepullContract;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class ControllerBench {

    public static void main(String[] args) throws Exception {
        String namespace = args[0], sandboxImage = args[1], pullImage = args[2], pauseImage = args[3];
        Map<String, Long> pids = new HashMap<>();
        for (String pair : args[4].split(",")) {
            pids.put(pair.split("=")[0], Long.parseLong(pair.split("=")[1]));
        }
        TolerantModelJson.install();
        ApiClient client = Config.defaultClient();
        CoreV1Api core = new CoreV1Api(client);
        CoordinationV1Api leases = new CoordinationV1Api(client);
        AppsV1Api apps = new AppsV1Api(client);

        // TTL: 20 sandboxes expiring together.
        Instant expiresAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(8);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = String.format("b%07d", i);
            names.add(SandboxContract.podName(id));
            core.createNamespacedPod(namespace, new V1Pod()
                    .metadata(new V1ObjectMeta().name(SandboxContract.podName(id))
                            .labels(Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE, SandboxContract.SANDBOX_ID_LABEL, id))
                            .annotations(Map.of(SandboxContract.EXPIRES_AT_ANNOTATION, expiresAt.toString())))
                    .spec(new V1PodSpec().overhead(null).automountServiceAccountToken(false).terminationGracePeriodSeconds(1L)
                            .containers(List.of(new V1Container().name("main").image(sandboxImage)
                                    .command(List.of("sleep", "infinity")))))).execute();
        }
        Map<String, Long> lateMillis = new HashMap<>();
        while (lateMillis.size() < names.size()) {
            for (V1Pod pod : core.listNamespacedPod(namespace).execute().getItems()) {
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                    lateMillis.putIfAbsent(pod.getMetadata().getName(), Duration.between(expiresAt, Instant.now()).toMillis());
                }
            }
            for (String name : names) {
                if (!lateMillis.containsKey(name)
                        && core.listNamespacedPod(namespace).fieldSelector("metadata.name=" + name).execute().getItems().isEmpty()) {
                    lateMillis.put(name, Duration.between(expiresAt, Instant.now()).toMillis());
                }
            }
            Thread.sleep(50);
        }
        long[] late = lateMillis.values().stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("| TTL lateness (expires-at → deletion seen by a 50 ms poll), 20 sandboxes | p50 %d ms, p99 %d ms, max %d ms |%n",
                late[late.length / 2 - 1], late[(int) Math.ceil(0.99 * late.length) - 1], late[late.length - 1]);

        // Failover: kill the leader without warning.
        String leader = holder(leases, namespace);
        if (!pids.containsKey(leader)) {
            throw new IllegalStateException("lease holder " + leader + " is none of " + pids.keySet());
        }
        ProcessHandle.of(pids.get(leader)).orElseThrow().destroyForcibly();
        Instant killed = Instant.now();
        String next;
        while ((next = holder(leases, namespace)).equals(leader) || next.isEmpty()) {
            Thread.sleep(50);
        }
        System.out.printf("| failover: leader SIGKILLed → standby holds the Lease (lease 15 s, retry 2 s) | %d ms |%n",
                Duration.between(killed, Instant.now()).toMillis());

        // Hand-over: SIGTERM the new leader; it releases the lease.
        ProcessHandle.of(pids.get(next)).orElseThrow().destroy();
        Instant stopped = Instant.now();
        String third;
        while ((third = holder(leases, namespace)).equals(next) || third.isEmpty()) {
            Thread.sleep(50);
        }
        System.out.printf("| hand-over: leader SIGTERMed → standby holds the Lease | %d ms |%n",
                Duration.between(stopped, Instant.now()).toMillis());

        // Pre-pull of an image not yet on the node.
        Instant start = Instant.now();
        apps.createNamespacedDaemonSet(namespace, PrepullContract.daemonSet("pp-bench001", pullImage, namespace, pauseImage,
                Duration.ofMinutes(5))).execute();
        while (!PrepullContract.COMPLETED.equals(apps.readNamespacedDaemonSet(PrepullContract.name("pp-bench001"), namespace)
                .execute().getMetadata().getAnnotations().get(PrepullContract.STATUS_ANNOTATION))) {
            Thread.sleep(50);
        }
        System.out.printf("| pre-pull of `%s` (DaemonSet created → controller reports completed, 1/1 nodes) | %d ms |%n",
                pullImage, Duration.between(start, Instant.now()).toMillis());
        // Its pods hold the image; they must be gone before the floor run can remove it.
        apps.deleteNamespacedDaemonSet(PrepullContract.name("pp-bench001"), namespace).propagationPolicy("Foreground").execute();
        while (!core.listNamespacedPod(namespace).labelSelector(PrepullContract.selector()).execute().getItems().isEmpty()) {
            Thread.sleep(100);
        }
        System.exit(0);
    }

    static String holder(CoordinationV1Api leases, String namespace) throws Exception {
        var spec = leases.readNamespacedLease("liteboxd-controller", namespace).execute().getSpec();
        return spec == null || spec.getHolderIdentity() == null ? "" : spec.getHolderIdentity();
    }
}
