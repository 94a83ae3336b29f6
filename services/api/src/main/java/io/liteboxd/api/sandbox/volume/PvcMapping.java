package io.liteboxd.api.sandbox.volume;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.liteboxd.api.sandbox.LifecycleStatus;
import io.liteboxd.api.sandbox.Sandbox;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins sandbox rows that name a volume claim with the PVCs in the cluster (spec §5.2): a claim on
 * both sides is {@code bound}, only in the cluster {@code orphan_pvc}, only in the database
 * {@code deleting} (its sandbox is being deleted) or {@code dangling_metadata}. Cluster values win
 * where both have one. Pure: the caller supplies rows and cached claims.
 */
final class PvcMapping {

    static final List<String> STATES = List.of("bound", "orphan_pvc", "dangling_metadata", "deleting");

    private PvcMapping() {}

    /** {@code rows} newest first; for a claim named by several rows the newest one counts. */
    static List<PvcViews.Item> join(List<Sandbox> rows, List<V1PersistentVolumeClaim> claims) {
        Map<String, Sandbox> byClaim = new LinkedHashMap<>();
        for (Sandbox row : rows) {
            byClaim.putIfAbsent(row.volumeClaimName(), row);
        }
        Map<String, PvcViews.Item> items = new TreeMap<>();
        for (V1PersistentVolumeClaim claim : claims) {
            String name = claim.getMetadata().getName();
            Sandbox row = byClaim.remove(name);
            items.put(name, merge(row, claim));
        }
        for (Sandbox row : byClaim.values()) {
            boolean deleting = Sandbox.DELETED.equals(row.desiredState()) && row.lifecycle() == LifecycleStatus.TERMINATING;
            items.put(row.volumeClaimName(), new PvcViews.Item(row.volumeClaimName(), row.clusterNamespace(),
                    blankToNull(row.storageClassName()), blankToNull(row.persistenceSize()), null, null, row.id(),
                    row.lifecycleStatus(), blankToNull(row.volumeReclaimPolicy()),
                    deleting ? "deleting" : "dangling_metadata", "db"));
        }
        List<PvcViews.Item> ordered = new ArrayList<>(items.values());
        ordered.sort(Comparator.comparing(PvcViews.Item::pvcName));
        return ordered;
    }

    private static PvcViews.Item merge(@Nullable Sandbox row, V1PersistentVolumeClaim claim) {
        var meta = claim.getMetadata();
        var spec = claim.getSpec();
        String storageClass = spec == null ? null : blankToNull(spec.getStorageClassName());
        String size = null;
        if (spec != null && spec.getResources() != null && spec.getResources().getRequests() != null) {
            Quantity request = spec.getResources().getRequests().get("storage");
            if (request != null && request.getNumber().signum() != 0) {
                size = request.toSuffixedString();
            }
        }
        String phase = claim.getStatus() == null ? null : blankToNull(claim.getStatus().getPhase());
        String volume = spec == null ? null : blankToNull(spec.getVolumeName());
        if (row == null) {
            String labelled = meta.getLabels() == null ? null : meta.getLabels().get(SandboxContract.SANDBOX_ID_LABEL);
            return new PvcViews.Item(meta.getName(), meta.getNamespace(), storageClass, size, phase, volume,
                    blankToNull(labelled), null, null, "orphan_pvc", "k8s");
        }
        return new PvcViews.Item(meta.getName(), meta.getNamespace(),
                storageClass != null ? storageClass : blankToNull(row.storageClassName()),
                size != null ? size : blankToNull(row.persistenceSize()), phase, volume, row.id(),
                row.lifecycleStatus(), blankToNull(row.volumeReclaimPolicy()), "bound", "db+k8s");
    }

    private static String blankToNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
