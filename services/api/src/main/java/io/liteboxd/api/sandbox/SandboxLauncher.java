package io.liteboxd.api.sandbox;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1ExecAction;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.liteboxd.common.kubernetes.SandboxContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The launcher volume every sandbox pod gets, and what it holds. An init container of our static
 * helper image (hack/images: {@code /pause} and {@code /lbx-session}) copies both binaries into a
 * small emptyDir at {@code /.liteboxd}, with main's security context (nothing privileged, nothing
 * asked of the sandbox image, not even a shell):
 * <ul>
 *   <li>{@code /.liteboxd/lbx-session}, the session helper (services/session-helper): terminals
 *       and background commands that live in the sandbox, not in the API pod (docs/sessions.md);
 *   <li>{@code /.liteboxd/pause}, which starts a template's {@code command} only once the
 *       postStart hook has written the template's files and run its startup script (the kubelet
 *       starts the command and the hook together, so a command that runs one of its own files used
 *       to lose the race): the command becomes {@code /.liteboxd/pause -wait /.liteboxd/ready --
 *       <command...>}, the hook creates the ready file last, and the launcher execs the command,
 *       which keeps PID and argv. Without a template command there is nothing to wrap (the image's
 *       entrypoint is not known here): the hook still holds the pod un-Ready until it finishes, so
 *       {@code status: running} is the signal to wait for.
 * </ul>
 */
final class SandboxLauncher {

    static final String VOLUME = "liteboxd-launcher";
    static final String INIT_CONTAINER = "launcher";
    static final String DIRECTORY = "/.liteboxd";
    static final String BINARY = DIRECTORY + "/pause";
    /** The helper image's own copy of the session helper, which installs both binaries. */
    static final List<String> INSTALL = List.of("/lbx-session", "install", DIRECTORY, "/pause");
    static final String READY_FILE = DIRECTORY + "/ready";

    // The binaries take about 3 MiB; the hook's ready file and the helper's sockets take nothing.
    private static final Quantity VOLUME_SIZE = Quantity.fromString("16Mi");
    // Copying one file: tiny requests, so the pod's effective request stays main's.
    private static final Map<String, Quantity> REQUESTS = Map.of("cpu", Quantity.fromString("10m"),
            "memory", Quantity.fromString("16Mi"), "ephemeral-storage", Quantity.fromString("1Mi"));
    private static final Map<String, Quantity> LIMITS = Map.of("cpu", Quantity.fromString("100m"),
            "memory", Quantity.fromString("32Mi"), "ephemeral-storage", Quantity.fromString("8Mi"));

    private SandboxLauncher() {}

    /**
     * Puts the launcher into a finished sandbox pod spec (an ephemeral sandbox's pod, a persistent
     * one's pod template): the volume, its mount in {@code main} and the init container always;
     * when {@code main} has a command of the template's own and a postStart hook ({@code sh -c
     * <setup>}, as SandboxPods builds it), the command also goes behind the launcher and the hook
     * creates the ready file last. A spec that already has the launcher is left as it is.
     * Returns {@code spec}.
     */
    static V1PodSpec install(V1PodSpec spec, String image) {
        V1Container main = spec.getContainers().stream()
                .filter(c -> SandboxContract.MAIN_CONTAINER.equals(c.getName())).findFirst().orElseThrow();
        if (spec.getInitContainers() != null
                && spec.getInitContainers().stream().anyMatch(c -> INIT_CONTAINER.equals(c.getName()))) {
            return spec;
        }
        List<String> command = main.getCommand();
        V1ExecAction hook = main.getLifecycle() == null || main.getLifecycle().getPostStart() == null
                ? null : main.getLifecycle().getPostStart().getExec();
        if (command != null && !command.isEmpty() && hook != null) {
            List<String> shell = hook.getCommand();
            if (shell.size() != 3 || !shell.subList(0, 2).equals(List.of("sh", "-c"))) {
                throw new IllegalStateException("unexpected postStart hook " + shell);
            }
            hook.command(List.of("sh", "-c", hook(shell.get(2))));
            main.command(wrap(command));
        }
        main.volumeMounts(plus(main.getVolumeMounts(), mount()));
        spec.volumes(plus(spec.getVolumes(), volume()));
        spec.initContainers(plus(spec.getInitContainers(), initContainer(image, main.getSecurityContext())));
        return spec;
    }

    /** The template's command behind the launcher (args stay as they are: they follow the command). */
    static List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of(BINARY, "-wait", READY_FILE, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * The hook's script: the setup in a subshell (an {@code exit} in the startup script ends only
     * the subshell), then the ready file, only if the setup succeeded (a failing hook kills the
     * container anyway).
     */
    static String hook(String setupScript) {
        return "(\n" + setupScript + "\n) && : > " + READY_FILE;
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> longer = list == null ? new ArrayList<>() : new ArrayList<>(list);
        longer.add(item);
        return longer;
    }

    /** Copies the binaries into the volume; the same security context as main's. */
    private static V1Container initContainer(String image, V1SecurityContext securityContext) {
        return new V1Container()
                .name(INIT_CONTAINER)
                .image(image)
                .imagePullPolicy("IfNotPresent")
                .command(INSTALL)
                .resources(new V1ResourceRequirements().requests(REQUESTS).limits(LIMITS))
                .securityContext(securityContext)
                .volumeMounts(List.of(mount()));
    }

    private static V1VolumeMount mount() {
        return new V1VolumeMount().name(VOLUME).mountPath(DIRECTORY);
    }

    private static V1Volume volume() {
        return new V1Volume().name(VOLUME).emptyDir(new V1EmptyDirVolumeSource().sizeLimit(VOLUME_SIZE));
    }
}
