package io.liteboxd.controller.leader;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElectionRecord;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.liteboxd.controller.ControllerSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a Lease ({@code liteboxd.controller.lease-name} in the control namespace),
 * identity = the pod name. Only the leader acts; {@link #isLeader()} turns false the moment the
 * lease is lost, before anything else runs. client-java's {@code LeaderElector.run} returns when
 * leadership ends and never campaigns again, so a loop starts a fresh elector each time. On
 * shutdown the elector is closed, which gives up the lock, so the standby takes over at its next
 * retry instead of waiting for the lease to expire; if the lease still names us afterwards, it
 * is cleared here.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class Leadership {

    /** Told when this replica starts or stops leading. */
    public interface Listener {
        void startedLeading();

        default void stoppedLeading() {}
    }

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final ControllerSettings settings;
    private final ApiClient client;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile LeaderElector elector;
    private volatile LeaseLock lock;
    private Thread campaign;

    Leadership(ControllerSettings settings, ApiClient client, MeterRegistry registry) {
        this.settings = settings;
        this.client = client;
        Gauge.builder("liteboxd.controller.leader", leader, l -> l.get() ? 1 : 0)
                .description("1 while this replica holds the Lease").register(registry);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public boolean isLeader() {
        return leader.get();
    }

    public String identity() {
        return settings.identity();
    }

    /** Campaign once the server (and so the caches) are up. */
    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        campaign = Thread.ofPlatform().name("leader-election").daemon().start(this::campaign);
    }

    private void campaign() {
        while (!stopping.get()) {
            lock = new LeaseLock(settings.controlNamespace(), settings.leaseName(), settings.identity(), client);
            LeaderElectionConfig config = new LeaderElectionConfig(lock, settings.leaseDuration(),
                    settings.renewDeadline(), settings.retryPeriod());
            try (LeaderElector current = new LeaderElector(config, e -> LOG.warn("leader election: {}", e.toString()))) {
                elector = current;
                current.run(this::startLeading, this::stopLeading);
            } catch (RuntimeException e) {
                LOG.warn("leader election failed; campaigning again", e);
            }
            stopLeading();
            pause();
        }
    }

    private void startLeading() {
        if (leader.compareAndSet(false, true)) {
            LOG.atInfo().addKeyValue("identity", settings.identity()).log("started leading");
            listeners.forEach(Listener::startedLeading);
        }
    }

    private void stopLeading() {
        if (leader.compareAndSet(true, false)) {
            LOG.atInfo().addKeyValue("identity", settings.identity()).log("stopped leading");
            listeners.forEach(Listener::stoppedLeading);
        }
    }

    private void pause() {
        try {
            Thread.sleep(settings.retryPeriod().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.set(true);
        }
    }

    /** Stops acting at once, then hands the lease over. */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        boolean wasLeader = leader.get();
        stopLeading();
        LeaderElector current = elector;
        if (current != null) {
            current.close();
        }
        if (campaign != null) {
            campaign.interrupt();
        }
        if (wasLeader) {
            release();
        }
    }

    /** Clears the holder, as client-go's ReleaseOnCancel does, if the lease is still ours. */
    private void release() {
        try {
            LeaderElectionRecord record = lock.get();
            if (record != null && settings.identity().equals(record.getHolderIdentity())) {
                Date now = new Date();
                if (lock.update(new LeaderElectionRecord("", 1, now, now, record.getLeaderTransitions()))) {
                    LOG.info("released the lease");
                }
            }
        } catch (Exception e) {
            LOG.warn("could not release the lease; the standby takes over when it expires: {}", e.toString());
        }
    }
}
