package io.liteboxd.api.events;

import io.liteboxd.common.lifecycle.Readiness;
import io.micronaut.http.sse.Event;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The live feed behind {@code GET /api/v1/events}: what this replica's informers saw change,
 * pushed to every open stream of this replica. Each replica has its own informers, so each
 * publishes every change itself; nothing travels between replicas. Slow clients miss events
 * rather than hold memory (best effort): a client that reconnects reloads what it shows.
 * When the drain begins every stream ends, so clients reconnect to a replica that stays.
 */
@Singleton
public class LiveEvents {

    /** Sent as a comment line: proxies (Traefik, nginx) cut streams idle for a minute or more. */
    static final Duration KEEPALIVE = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    private final Sinks.Many<Event<String>> sink = Sinks.many().multicast().directBestEffort();
    private final JsonMapper json;

    LiveEvents(JsonMapper json, Readiness readiness) {
        this.json = json;
        readiness.onDrain(sink::tryEmitComplete);
    }

    /** Whether any stream is open here: publishers skip the work of building an event otherwise. */
    public boolean watched() {
        return sink.currentSubscriberCount() > 0;
    }

    /** Sends {@code data} as JSON under the event name {@code type} to every open stream. */
    public void publish(EventType type, Object data) {
        if (!watched()) {
            return;
        }
        try {
            String body = json.writeValueAsString(data);
            sink.tryEmitNext(Event.of(body).name(type.wire()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("live event {} not sent: {}", type.wire(), e.toString());
        }
    }

    /** One client's stream: the events, with a keep-alive comment every {@link #KEEPALIVE}. */
    public Flux<Event<String>> stream() {
        Flux<Event<String>> events = sink.asFlux();
        Flux<Event<String>> keepalive = Flux.interval(KEEPALIVE).map(n -> Event.of("").comment("keepalive"));
        return Flux.merge(events, keepalive.takeUntilOther(events.ignoreElements().then()))
                .startWith(Event.of("{}").name(EventType.HELLO.wire()));
    }
}
