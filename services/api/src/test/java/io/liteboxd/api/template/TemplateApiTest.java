package io.liteboxd.api.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The template routes over HTTP on a real SQLite file: contract shapes and every 4xx path. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateApiTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    TemplateRepository templates;

    @Inject
    TemplateVersionRepository versions;

    ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "template-tests");
    }

    @BeforeAll
    void login() {
        api = new ApiClient(http, "admin", "template-tests");
    }

    @BeforeEach
    void empty() {
        templates.deleteAll();
    }

    static Map<String, Object> spec(Object... extra) {
        Map<String, Object> spec = new HashMap<>(Map.of("image", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1"));
        for (int i = 0; i < extra.length; i += 2) {
            spec.put((String) extra[i], extra[i + 1]);
        }
        return spec;
    }

    Reply create(String name, Map<String, Object> spec) {
        return api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", name, "spec", spec)));
    }

    static void assertCoded(Reply reply, HttpStatus status, String code, String messagePart) {
        assertEquals(status, reply.status(), String.valueOf(reply.body()));
        Map<?, ?> error = (Map<?, ?>) reply.map().get("error");
        assertEquals(code, error.get("code"), String.valueOf(reply.body()));
        assertTrue(((String) error.get("message")).contains(messagePart), String.valueOf(error.get("message")));
    }

    @Test
    void createReturnsTheTemplateWithDefaultsAndVersionOne() {
        Reply reply = create("python", spec());
        assertEquals(HttpStatus.CREATED, reply.status());
        Map<?, ?> t = reply.map();
        assertTrue(((String) t.get("id")).matches("tpl-[0-9a-f]{8}"));
        assertEquals(List.of(), t.get("tags"), "tags are [] when omitted, never null");
        assertEquals(true, t.get("isPublic"));
        assertEquals(1, t.get("latestVersion"));
        assertEquals("", t.get("author"));
        Map<?, ?> spec = (Map<?, ?>) t.get("spec");
        assertEquals(Map.of("cpu", "500m", "memory", "512Mi"), spec.get("resources"));
        assertEquals(0, spec.get("ttl"), "ttl 0 (never expires) stays 0 and is always written");
        assertEquals(300, spec.get("startupTimeout"));
        assertFalse(spec.containsKey("env"), "empty optional fields are omitted");
        assertCoded(create("python", spec()), HttpStatus.CONFLICT, "TEMPLATE_EXISTS", "already exists");
    }

    @Test
    void badInputIsA400AndWritesNothing() {
        Map<String, Map<String, Object>> badSpecs = Map.ofEntries(
                Map.entry("image is required", Map.of("ttl", 5)),
                Map.entry("resources.cpu is not a valid quantity", spec("resources", Map.of("cpu", "lots"))),
                Map.entry("resources.memory is not a valid quantity", spec("resources", Map.of("memory", "12XB"))),
                Map.entry("ttl must be >= 0", spec("ttl", -1)),
                Map.entry("runtimeClassName is not a valid name: Not_A_Name", spec("runtimeClassName", "Not_A_Name")),
                Map.entry("allowedDomains contains invalid value: https://x.io", spec("network",
                        Map.of("allowInternetAccess", true, "allowedDomains", List.of("https://x.io")))),
                Map.entry("persistence.storageClassName is not a valid name: Local_Path", spec("persistence",
                        Map.of("enabled", true, "storageClassName", "Local_Path"))),
                Map.entry("idleTimeout requires persistence.enabled", spec("idleTimeout", 60)),
                Map.entry("idleTimeout must be >= 0", Map.of("image", "img", "idleTimeout", -1,
                        "persistence", Map.of("enabled", true))),
                Map.entry("readinessProbe.exec.command is required", spec("readinessProbe", Map.of("periodSeconds", 1))),
                Map.entry("pool.min is required and must be >= 0", spec("pool", Map.of("max", 2))),
                Map.entry("pool.max must be within min and 100", spec("pool", Map.of("min", 3, "max", 2))),
                Map.entry("spec: pool.max must be within min and 100", spec("pool", Map.of("min", 1, "max", 101))),
                Map.entry("pool cannot be combined with persistence.enabled", spec("pool", Map.of("min", 1),
                        "persistence", Map.of("enabled", true))));
        badSpecs.forEach((message, spec) ->
                assertCoded(create("bad", spec), HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message));
        for (String name : List.of("", "Upper", "-dash", "x".repeat(64), "export", "import")) {
            assertCoded(create(name, spec()), HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "invalid name");
        }
        assertCoded(api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "nospec"))),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "spec is required");
        assertCoded(api.send(HttpRequest.POST("/api/v1/templates", "{\"name\": \"x\", \"spec\": {")
                .contentType(MediaType.APPLICATION_JSON)), HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "");
        assertEquals(0, templates.count());
        assertEquals(0, versions.count());
    }

    @Test
    void theSelfTestNeedsTheCluster() {
        // This class runs without Kubernetes: the route answers, in the templates' error shape.
        assertCoded(api.send(HttpRequest.POST("/api/v1/templates/python/verify", "")),
                HttpStatus.SERVICE_UNAVAILABLE, "NO_CLUSTER", "kubernetes is not configured");
    }

    @Test
    void specsOverTheSandboxCapsAre400sInTheTemplateShape() {
        Map<String, Map<String, Object>> overCaps = Map.of(
                "invalid spec: resources.cpu 64 exceeds the maximum 2",
                spec("resources", Map.of("cpu", "64", "memory", "512Gi")),
                "invalid spec: resources.cpu 2001m exceeds the maximum 2", spec("resources", Map.of("cpu", "2001m")),
                "invalid spec: resources.memory 512Gi exceeds the maximum 4Gi",
                spec("resources", Map.of("memory", "512Gi")),
                "invalid spec: resources.memory must be greater than 0: 0", spec("resources", Map.of("memory", "0")),
                "invalid spec: ttl 86401 exceeds the maximum 86400", spec("ttl", 86401),
                "invalid spec: startupTimeout 601 exceeds the maximum 600", spec("startupTimeout", 601));
        overCaps.forEach((message, spec) -> {
            Reply reply = create("big", spec);
            assertCoded(reply, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message);
            assertEquals(message, ((Map<?, ?>) reply.map().get("error")).get("message"));
        });
        assertEquals(0, templates.count());

        Map<String, Object> atCaps = spec("resources", Map.of("cpu", "2000m", "memory", "4096Mi"),
                "ttl", 86400, "startupTimeout", 600);
        assertEquals(HttpStatus.CREATED, create("big", atCaps).status());
        assertCoded(api.send(HttpRequest.PUT("/api/v1/templates/big",
                        Map.of("spec", spec("resources", Map.of("cpu", "3"))))),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "invalid spec: resources.cpu 3 exceeds the maximum 2");
        assertEquals(1, versions.count());
    }

    @Test
    void rollingBackToAVersionOverTheCapsIs400() {
        create("old", spec());
        api.send(HttpRequest.PUT("/api/v1/templates/old", Map.of("spec", spec())));
        // Version 1 as a release with higher caps (or upstream) may have stored it.
        String templateId = templates.findByName("old").orElseThrow().id();
        TemplateVersion v1 = versions.findByTemplateIdAndVersion(templateId, 1).orElseThrow();
        versions.update(new TemplateVersion(v1.id(), v1.templateId(), 1,
                "{\"image\":\"img\",\"resources\":{\"cpu\":\"8\",\"memory\":\"512Mi\"},\"ttl\":0}",
                v1.changelog(), v1.createdBy(), v1.createdAt()));
        assertCoded(api.send(HttpRequest.POST("/api/v1/templates/old/rollback", Map.of("targetVersion", 1))),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "invalid spec: resources.cpu 8 exceeds the maximum 2");
        assertEquals(2, templates.findByName("old").orElseThrow().latestVersion());
    }

    @Test
    void aPoolInASpecIsKeptWithMaxDefaultingToMin() {
        Map<?, ?> spec = (Map<?, ?>) create("pooled", spec("pool", Map.of("min", 2))).map().get("spec");
        assertEquals(Map.of("min", 2, "max", 2), spec.get("pool"));
        Reply updated = api.send(HttpRequest.PUT("/api/v1/templates/pooled",
                Map.of("spec", spec("pool", Map.of("min", 0, "max", 5)))));
        assertEquals(Map.of("min", 0, "max", 5), ((Map<?, ?>) updated.map().get("spec")).get("pool"));
        Map<?, ?> v1 = api.send(HttpRequest.GET("/api/v1/templates/pooled/versions/1")).map();
        assertEquals(Map.of("min", 2, "max", 2), ((Map<?, ?>) v1.get("spec")).get("pool"), "each version keeps its own");
        assertFalse(((Map<?, ?>) create("plain", spec()).map().get("spec")).containsKey("pool"));
    }

    @Test
    void allowedDomainsAreNormalisedAndDeduplicated() {
        Reply reply = create("net", spec("network", Map.of("allowInternetAccess", true,
                "allowedDomains", List.of(" PyPI.org. ", "*.Example.com", "pypi.org"))));
        Map<?, ?> network = (Map<?, ?>) ((Map<?, ?>) reply.map().get("spec")).get("network");
        assertEquals(List.of("pypi.org", "*.example.com"), network.get("allowedDomains"));
    }

    @Test
    void updateAddsAVersionAndCanClearText() {
        api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "web", "description", "old",
                "displayName", "Web", "tags", List.of("a"), "spec", spec())));
        Reply updated = api.send(HttpRequest.PUT("/api/v1/templates/web",
                Map.of("description", "", "spec", spec("ttl", 60), "changelog", "shorter ttl")));
        assertEquals(HttpStatus.OK, updated.status(), String.valueOf(updated.body()));
        assertEquals(2, updated.map().get("latestVersion"));
        assertEquals("", updated.map().get("description"), "an empty string clears (upstream could not)");
        assertEquals("Web", updated.map().get("displayName"), "absent fields stay");
        assertEquals(List.of("a"), updated.map().get("tags"));

        Reply listed = api.send(HttpRequest.GET("/api/v1/templates/web/versions"));
        List<?> items = (List<?>) listed.map().get("items");
        assertEquals(2, listed.map().get("total"));
        assertEquals(2, ((Map<?, ?>) items.get(0)).get("version"), "newest first");
        assertEquals("shorter ttl", ((Map<?, ?>) items.get(0)).get("changelog"));
        assertEquals("Initial version", ((Map<?, ?>) items.get(1)).get("changelog"));

        assertCoded(api.send(HttpRequest.PUT("/api/v1/templates/nope", Map.of("spec", spec()))),
                HttpStatus.NOT_FOUND, "TEMPLATE_NOT_FOUND", "Template 'nope' not found");
        assertCoded(api.send(HttpRequest.PUT("/api/v1/templates/nope", Map.of("spec", Map.of()))),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "image is required");
    }

    @Test
    void versionsAndRollback() {
        create("rb", spec("ttl", 10));
        api.send(HttpRequest.PUT("/api/v1/templates/rb", Map.of("spec", spec("ttl", 20))));
        Reply v1 = api.send(HttpRequest.GET("/api/v1/templates/rb/versions/1"));
        assertEquals(10, ((Map<?, ?>) v1.map().get("spec")).get("ttl"));
        assertCoded(api.send(HttpRequest.GET("/api/v1/templates/rb/versions/x")),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "Invalid version number");
        assertCoded(api.send(HttpRequest.GET("/api/v1/templates/rb/versions/9")),
                HttpStatus.NOT_FOUND, "VERSION_NOT_FOUND", "Version 9 not found for template 'rb'");

        Reply rolled = api.send(HttpRequest.POST("/api/v1/templates/rb/rollback", Map.of("targetVersion", 1)));
        assertEquals(HttpStatus.OK, rolled.status(), String.valueOf(rolled.body()));
        assertEquals(3, rolled.map().get("latestVersion"));
        assertEquals(2, rolled.map().get("rolledBackFrom"));
        assertEquals(1, rolled.map().get("rolledBackTo"));
        Reply current = api.send(HttpRequest.GET("/api/v1/templates/rb"));
        assertEquals(10, ((Map<?, ?>) current.map().get("spec")).get("ttl"));

        assertCoded(api.send(HttpRequest.POST("/api/v1/templates/rb/rollback", Map.of("targetVersion", 7))),
                HttpStatus.NOT_FOUND, "VERSION_NOT_FOUND", "version 7 not found");
        assertCoded(api.send(HttpRequest.POST("/api/v1/templates/rb/rollback", Map.of("targetVersion", -1))),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "at least 1");
        assertCoded(api.send(HttpRequest.POST("/api/v1/templates/rb/rollback", Map.of())),
                HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "targetVersion is required");
        assertCoded(api.send(HttpRequest.POST("/api/v1/templates/none/rollback", Map.of("targetVersion", 1))),
                HttpStatus.NOT_FOUND, "TEMPLATE_NOT_FOUND", "");
    }

    @Test
    void listFiltersAndClampsPaging() {
        for (int i = 0; i < 3; i++) {
            api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "t" + i, "tags", List.of(i == 0 ? "ml" : "web"),
                    "description", i == 2 ? "Jupyter Notebook" : "", "spec", spec())));
        }
        Reply all = api.send(HttpRequest.GET("/api/v1/templates?pageSize=1000&page=abc"));
        assertEquals(Map.of("total", 3, "page", 1, "pageSize", 100),
                Map.of("total", all.map().get("total"), "page", all.map().get("page"), "pageSize", all.map().get("pageSize")));
        assertEquals("t2", ((Map<?, ?>) ((List<?>) all.map().get("items")).get(0)).get("name"), "newest first");
        assertEquals(1, api.send(HttpRequest.GET("/api/v1/templates?tag=ml")).map().get("total"));
        assertEquals(1, api.send(HttpRequest.GET("/api/v1/templates?search=jupyter")).map().get("total"));
        Reply beyond = api.send(HttpRequest.GET("/api/v1/templates?page=5&pageSize=2"));
        assertEquals(List.of(), beyond.map().get("items"));
    }

    @Test
    void deleteRemovesTheTemplateAndItsVersions() {
        create("gone", spec());
        assertEquals(HttpStatus.NO_CONTENT, api.send(HttpRequest.DELETE("/api/v1/templates/gone")).status());
        assertCoded(api.send(HttpRequest.GET("/api/v1/templates/gone")), HttpStatus.NOT_FOUND, "TEMPLATE_NOT_FOUND", "gone");
        assertCoded(api.send(HttpRequest.DELETE("/api/v1/templates/gone")), HttpStatus.NOT_FOUND, "TEMPLATE_NOT_FOUND", "");
        assertEquals(0, versions.count(), "versions cascade with the template");
    }

    /** SQLite has one writer: concurrent writes must wait for the lock, never fail with BUSY. */
    @Test
    void concurrentWritesAllSucceed() throws Exception {
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var replies = new java.util.ArrayList<java.util.concurrent.Future<Reply>>();
            for (int i = 0; i < 16; i++) {
                String name = "parallel-" + i;
                replies.add(pool.submit(() -> {
                    Reply created = create(name, spec());
                    return created.status() == HttpStatus.CREATED
                            ? api.send(HttpRequest.PUT("/api/v1/templates/" + name, Map.of("spec", spec("ttl", 9))))
                            : created;
                }));
            }
            for (var reply : replies) {
                assertEquals(HttpStatus.OK, reply.get().status(), String.valueOf(reply.get().body()));
            }
        }
        assertEquals(16, templates.count());
        assertEquals(32, versions.count());
    }

    @Test
    void templatesNeedAuthentication() {
        try {
            http.toBlocking().exchange(HttpRequest.GET("/api/v1/templates"));
        } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
            assertEquals(HttpStatus.UNAUTHORIZED, e.getStatus());
            return;
        }
        throw new AssertionError("expected 401");
    }
}
