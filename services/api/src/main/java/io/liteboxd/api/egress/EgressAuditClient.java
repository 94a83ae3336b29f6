package io.liteboxd.api.egress;

import io.liteboxd.api.egress.EgressAuditView.Decision;
import io.liteboxd.api.egress.EgressAuditView.Traffic;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every egress proxy replica for a sandbox's recent decisions and merges the answers. The
 * replicas are found by resolving the headless Service's name (one address per ready pod): the
 * API needs no Kubernetes permission for it, and each proxy only knows the connections it served.
 */
@Singleton
class EgressAuditClient {

    private static final Logger LOG = LoggerFactory.getLogger(EgressAuditClient.class);
    /** A proxy's answer is at most its ring of records; bigger is not a proxy's answer. */
    private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    /** What {@code GET /egress/recent} of one proxy returns (services/egress, RecentEgressController). */
    @Serdeable
    record ProxyAnswer(@Nullable List<Decision> decisions, @Nullable List<Traffic> traffic) {}

    private final EgressAuditSettings settings;
    private final JsonMapper json;
    private final HttpClient http;

    EgressAuditClient(EgressAuditSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    EgressAuditView recent(String sandboxId) {
        List<InetAddress> proxies;
        try {
            proxies = List.of(InetAddress.getAllByName(settings.host()));
        } catch (UnknownHostException e) {
            // No ready proxy pod: the headless Service's name has no address.
            return new EgressAuditView(List.of(), List.of(), 0, 0);
        }
        List<CompletableFuture<ProxyAnswer>> asked = proxies.stream().map(a -> ask(a, sandboxId)).toList();
        List<Decision> decisions = new ArrayList<>();
        List<Traffic> traffic = new ArrayList<>();
        int answered = 0;
        for (CompletableFuture<ProxyAnswer> answer : asked) {
            ProxyAnswer got = answer.join();
            if (got != null) {
                answered++;
                decisions.addAll(got.decisions() == null ? List.of() : got.decisions());
                traffic.addAll(got.traffic() == null ? List.of() : got.traffic());
            }
        }
        decisions.sort(Comparator.comparing(Decision::at));
        traffic.sort(Comparator.comparing(Traffic::at));
        return new EgressAuditView(decisions, traffic, proxies.size(), answered);
    }

    /** One proxy's answer, or null when it did not give one in time (logged, never thrown). */
    private CompletableFuture<ProxyAnswer> ask(InetAddress proxy, String sandboxId) {
        String host = proxy.getHostAddress();
        URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + settings.port()
                + "/egress/recent?sandbox=" + URLEncoder.encode(sandboxId, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200 || response.body().length > MAX_ANSWER_BYTES) {
                LOG.warn("egress proxy {} answered {} ({} bytes)", host, response.statusCode(), response.body().length);
                return null;
            }
            try {
                return json.readValue(response.body(), ProxyAnswer.class);
            } catch (IOException e) {
                LOG.warn("egress proxy {} answered what is no audit: {}", host, e.getMessage());
                return null;
            }
        }).exceptionally(e -> {
            LOG.warn("egress proxy {} did not answer: {}", host, e.getMessage());
            return null;
        });
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
