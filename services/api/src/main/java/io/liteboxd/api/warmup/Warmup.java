package io.liteboxd.api.warmup;

import io.liteboxd.common.lifecycle.ReadinessGate;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a new replica out of the Service until it has served its own hot read paths.
 *
 * <p>Why: a replica that joins cold runs its first few hundred requests through class
 * initialisation, the interpreter and the first JIT tiers while taking its full share of the
 * traffic; on the 2-CPU test bed that alone put the API's p99 at 2-3 s for about 20 s whenever a
 * pod was replaced (bench/upgrade-postgres.md), even with an AOT cache. So, once the HTTP server is
 * up, it sends itself {@link WarmupSettings#rounds()} rounds of the GETs clients poll (list and get
 * sandboxes and templates, pre-pulls, the metadata query, and a refused API key) over loopback,
 * two at a time, through the whole stack: Netty, the auth filter, routing, the database and JSON.
 * It authenticates with {@link WarmupCredential}, revoked when it ends. Reads only: nothing
 * changes, and a failed request is just one less warm path (the gate opens anyway, at the latest
 * after the timeout).
 */
@Singleton
public class Warmup implements ReadinessGate {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    private static final int WORKERS = 2;
    private static final String NONE = "warmup-none";

    private final WarmupSettings settings;
    private final WarmupCredential credential;
    private final JsonMapper json;
    private final AtomicInteger done = new AtomicInteger();
    private volatile boolean finished;

    Warmup(WarmupSettings settings, WarmupCredential credential, JsonMapper json) {
        this.settings = settings;
        this.credential = credential;
        this.json = json;
        if (settings.rounds() == 0) {
            credential.revoke();
            finished = true;
        }
    }

    @Override
    public String waitingFor() {
        // The same text throughout: ReadinessController logs each new one.
        return finished ? null : "warm-up, " + settings.rounds() + " rounds of GETs";
    }

    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        if (finished) {
            return;
        }
        URI base = URI.create("http://127.0.0.1:" + event.getSource().getPort());
        Thread.ofPlatform().name("warmup").daemon().start(() -> run(base));
    }

    private void run(URI base) {
        long started = System.nanoTime();
        long deadline = started + settings.timeout().toNanos();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            List<Call> calls = calls(client, base);
            AtomicInteger next = new AtomicInteger();
            Thread[] workers = new Thread[WORKERS];
            for (int w = 0; w < WORKERS; w++) {
                workers[w] = Thread.ofPlatform().name("warmup-" + w).daemon().start(() -> {
                    while (next.getAndIncrement() < settings.rounds() && System.nanoTime() < deadline) {
                        for (Call call : calls) {
                            send(client, base, call, deadline);
                        }
                        done.incrementAndGet();
                    }
                });
            }
            for (Thread worker : workers) {
                worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("warm-up stopped early: {}", e.toString());
        } finally {
            credential.revoke();
            finished = true;
            LOG.info("warm-up: {} of {} rounds in {} ms", done.get(), settings.rounds(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** One GET of a round; without the credential it carries a made-up API key (lookup, 401). */
    private record Call(String path, boolean credential) {
        static Call of(String path) {
            return new Call(path, true);
        }
    }

    /** The round's GETs, with a real sandbox id and template name when there are any. */
    private List<Call> calls(HttpClient client, URI base) {
        String sandbox = firstOf(client, base, "/api/v1/sandboxes", "id");
        String template = firstOf(client, base, "/api/v1/templates", "name");
        return List.of(Call.of("/api/v1/sandboxes"), Call.of("/api/v1/sandboxes/" + sandbox),
                Call.of("/api/v1/templates"), Call.of("/api/v1/templates/" + template),
                Call.of("/api/v1/images/prepull"), Call.of("/api/v1/sandboxes/metadata?page_size=20"),
                Call.of("/api/v1/sandboxes/" + sandbox + "/status-history?limit=50"),
                new Call("/api/v1/sandboxes", false));
    }

    @SuppressWarnings("unchecked")
    private String firstOf(HttpClient client, URI base, String path, String field) {
        String body = send(client, base, Call.of(path), System.nanoTime() + 10_000_000_000L);
        try {
            if (body != null) {
                Object items = json.readValue(body, Map.class).get("items");
                if (items instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?> first
                        && first.get(field) instanceof String value && value.matches("[A-Za-z0-9._-]{1,128}")) {
                    return value;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("warm-up: {} not readable: {}", path, e.toString());
        }
        return NONE;
    }

    /** The body of a 200, else null; never throws for a failed request. */
    private String send(HttpClient client, URI base, Call call, long deadline) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(call.path()))
                .timeout(Duration.ofNanos(Math.max(1_000_000, Math.min(deadline - System.nanoTime(), 10_000_000_000L))))
                .GET();
        if (call.credential()) {
            request.header(WarmupCredential.HEADER, credential.value());
        } else {
            request.header("Authorization", "Bearer liteboxd-warmup-not-a-key");
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
