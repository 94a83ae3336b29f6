package io.liteboxd.api.sandbox;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.List;

/**
 * A persistent sandbox's root filesystem on its PVC, without a privileged helper
 * (docs/contract.md, Root filesystem on the PVC): the init container {@code rootfs-seed} copies
 * each kept directory of the image to a sub-path of the claim once, and {@code main} mounts those
 * sub-paths over the same directories. The done-markers live at the claim's top level, outside
 * every sub-path, so the sandbox can neither see nor forge them.
 */
final class RootfsSeed {

    /** The claim's volume in the pod. */
    static final String VOLUME = "rootfs";
    /** The directories kept on the claim; /bin, /lib and /sbin are symlinks into /usr on merged-/usr images. */
    static final List<String> KEPT = List.of("/etc", "/usr", "/var", "/root", "/home", "/opt", "/srv", "/workspace");
    static final String CONTAINER = "rootfs-seed";
    /** Where the init container sees the whole claim. */
    private static final String SEED_ROOT = "/.liteboxd-seed";

    private RootfsSeed() {}

    /**
     * The init container: {@code main}'s image, security context and resources (no more privilege
     * than the workload has), a copy per directory into a scratch sub-path renamed into place,
     * then the marker. A copy that fails leaves no marker, so the next start tries again from scratch.
     */
    static V1Container initContainer(V1Container main) {
        return new V1Container()
                .name(CONTAINER)
                .image(main.getImage())
                .imagePullPolicy(main.getImagePullPolicy())
                .command(List.of("sh", "-c", script()))
                .resources(main.getResources())
                .securityContext(main.getSecurityContext())
                .volumeMounts(List.of(new V1VolumeMount().name(VOLUME).mountPath(SEED_ROOT)));
    }

    /** {@code main}'s mounts: each kept directory from its sub-path of the claim. */
    static List<V1VolumeMount> mounts() {
        return KEPT.stream().map(dir -> new V1VolumeMount().name(VOLUME).mountPath(dir).subPath(subPath(dir))).toList();
    }

    static String subPath(String dir) {
        return dir.substring(1);
    }

    static String script() {
        StringBuilder script = new StringBuilder("set -eu\ncd " + SEED_ROOT + "\n");
        script.append("for d in ").append(String.join(" ", KEPT)).append("; do\n")
                .append("  n=${d#/}\n")
                .append("  [ -e \".seeded-$n\" ] && continue\n")
                .append("  rm -rf \".seeding-$n\" \"$n\"\n")
                .append("  mkdir -p \".seeding-$n\"\n")
                .append("  if [ -d \"$d\" ]; then cp -a \"$d/.\" \".seeding-$n/\"; fi\n")
                .append("  mv \".seeding-$n\" \"$n\"\n")
                .append("  : > \".seeded-$n\"\n")
                .append("  echo \"rootfs-seed: $d copied\"\n")
                .append("done\n");
        return script.toString();
    }
}
