package io.liteboxd.api.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.multipart.MultipartBody;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/** Template import/export YAML over HTTP (spec §7), every 4xx path included. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateTransferTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    TemplateRepository templates;

    ApiClient api;

    static final String LIST = """
            apiVersion: liteboxd/v1
            kind: SandboxTemplateList
            items:
                - apiVersion: liteboxd/v1
                  kind: SandboxTemplate
                  metadata: {name: py, displayName: Python, description: d, tags: [ml]}
                  spec: {image: python:3.12, ttl: 60, resources: {cpu: 250m, memory: 256Mi}}
                - apiVersion: liteboxd/v1
                  kind: SandboxTemplate
                  metadata: {name: web}
                  spec: {image: nginx, readinessProbe: {exec: {command: [true]}}}
            """;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "transfer-tests");
    }

    @BeforeAll
    void login() {
        api = new ApiClient(http, "admin", "transfer-tests");
    }

    @BeforeEach
    void empty() {
        templates.deleteAll();
    }

    Reply importYaml(String yaml, String strategy) {
        var body = MultipartBody.builder()
                .addPart("file", "templates.yaml", MediaType.of("application/x-yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        if (strategy != null) {
            body.addPart("strategy", strategy);
        }
        return api.send(HttpRequest.POST("/api/v1/templates/import", body.build())
                .contentType(MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    static List<Map<?, ?>> results(Reply reply) {
        return ((List<?>) reply.map().get("results")).stream().<Map<?, ?>>map(r -> (Map<?, ?>) r).toList();
    }

    @Test
    void importCreatesThenUpdatesAndHonoursStrategies() {
        Reply first = importYaml(LIST, null);
        assertEquals(HttpStatus.OK, first.status(), String.valueOf(first.body()));
        assertEquals(Map.of("total", 2, "created", 2, "updated", 0, "skipped", 0, "failed", 0),
                Map.of("total", first.map().get("total"), "created", first.map().get("created"),
                        "updated", first.map().get("updated"), "skipped", first.map().get("skipped"),
                        "failed", first.map().get("failed")));
        assertEquals(1, results(first).get(0).get("version"));

        Reply again = importYaml(LIST, "create-or-update");
        assertEquals(List.of("updated", "updated"), results(again).stream().map(r -> r.get("action")).toList());
        assertEquals(2, results(again).get(0).get("version"));
        assertEquals(List.of("skipped", "skipped"),
                results(importYaml(LIST, "create-only")).stream().map(r -> r.get("action")).toList());

        templates.deleteAll();
        Reply updateOnly = importYaml(LIST, "update-only");
        assertEquals("template not found (strategy=update-only)", results(updateOnly).get(0).get("error"));
        Reply bogus = importYaml(LIST, "merge");
        assertEquals(List.of("failed", "failed"), results(bogus).stream().map(r -> r.get("action")).toList());
        assertEquals("invalid strategy: merge", results(bogus).get(0).get("error"));
        assertEquals(0, templates.count());
    }

    @Test
    void caseMistakesInSpecKeysAreReportedNotDropped() {
        Reply reply = importYaml("""
                kind: SandboxTemplate
                metadata: {name: nginx}
                spec: {image: nginx, readinessprobe: {exec: {command: [true]}}, startupscript: echo}
                """, null);
        Map<?, ?> result = results(reply).get(0);
        assertEquals("failed", result.get("action"));
        assertTrue(((String) result.get("error")).contains("unknown field(s) readinessprobe, startupscript"),
                String.valueOf(result));
        assertEquals(0, templates.count());
    }

    @Test
    void badDocumentsAre400() {
        assertCoded(importYaml("kind: [unclosed", null), "INVALID_YAML", "invalid YAML format");
        assertCoded(importYaml("kind: Deployment\nmetadata: {name: x}\n", null), "INVALID_REQUEST",
                "invalid kind: expected SandboxTemplate, got Deployment");
        Reply noFile = api.send(HttpRequest.POST("/api/v1/templates/import",
                        MultipartBody.builder().addPart("strategy", "create-only").build())
                .contentType(MediaType.MULTIPART_FORM_DATA_TYPE));
        assertCoded(noFile, "INVALID_REQUEST", "file is required");
        Reply empty = importYaml("kind: SandboxTemplateList\nitems: []\n", null);
        assertEquals(List.of(), empty.map().get("results"), "results is [] for an empty list, never null");
        assertEquals(0, templates.count());
    }

    @Test
    void exportRoundTripsAndIsNotCappedAtTwenty() {
        importYaml(LIST, null);
        importYaml(LIST.replace("ttl: 60", "ttl: 90"), null);
        for (int i = 0; i < 25; i++) {
            api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "bulk-" + i, "spec", Map.of("image", "x"))));
        }
        Map<?, ?> v1 = yaml(api.sendForText(HttpRequest.GET("/api/v1/templates/py/export?version=1")));
        assertEquals("SandboxTemplate", v1.get("kind"));
        assertEquals(Map.of("name", "py", "displayName", "Python", "description", "d", "tags", List.of("ml")),
                v1.get("metadata"));
        assertEquals(60, ((Map<?, ?>) v1.get("spec")).get("ttl"));
        assertEquals(90, ((Map<?, ?>) yaml(api.sendForText(HttpRequest.GET("/api/v1/templates/py/export"))).get("spec")).get("ttl"));
        assertCoded(api.sendForText(HttpRequest.GET("/api/v1/templates/py/export?version=9")), "VERSION_NOT_FOUND", "version 9");
        assertCoded(api.sendForText(HttpRequest.GET("/api/v1/templates/py/export?version=abc")), "INVALID_REQUEST",
                "invalid version number");
        assertCoded(api.sendForText(HttpRequest.GET("/api/v1/templates/nope/export")), "TEMPLATE_NOT_FOUND", "nope");

        Map<?, ?> all = yaml(api.sendForText(HttpRequest.GET("/api/v1/templates/export")));
        assertEquals("SandboxTemplateList", all.get("kind"));
        assertEquals(27, ((List<?>) all.get("items")).size(), "every template, not the 20 newest");
        assertEquals(1, ((List<?>) yaml(api.sendForText(HttpRequest.GET("/api/v1/templates/export?tag=ml"))).get("items")).size());
        Map<?, ?> asTheSdkAsks = yaml(api.sendForText(HttpRequest.GET("/api/v1/templates/export?names=py")
                .accept(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE)));
        assertEquals("SandboxTemplateList", asTheSdkAsks.get("kind"),
                "the Python SDK sends Accept: application/json on every request, export included");
        assertEquals(2, ((List<?>) yaml(api.sendForText(HttpRequest.GET("/api/v1/templates/export?names=py,web"))).get("items")).size());

        String exported = (String) api.sendForText(HttpRequest.GET("/api/v1/templates/export?names=py,web")).body();
        assertEquals(List.of("updated", "updated"),
                results(importYaml(exported, null)).stream().map(r -> r.get("action")).toList(), "export imports back");
    }

    @Test
    void persistenceAndIdleTimeoutRoundTrip() {
        String document = """
                kind: SandboxTemplate
                metadata:
                    name: keep
                spec:
                    image: x
                    idleTimeout: 600
                    persistence:
                        enabled: true
                        size: 2Gi
                        storageClassName: local-path
                """;
        assertEquals(List.of("created"), results(importYaml(document, null)).stream().map(r -> r.get("action")).toList());
        Map<?, ?> spec = (Map<?, ?>) yaml(api.sendForText(HttpRequest.GET("/api/v1/templates/keep/export"))).get("spec");
        assertEquals(600, spec.get("idleTimeout"));
        assertEquals(Map.of("enabled", true, "mode", "rootfs-overlay", "size", "2Gi", "storageClassName", "local-path",
                "reclaimPolicy", "Delete"), spec.get("persistence"), "local-path is accepted (upstream refused it)");
        List<Map<?, ?>> refused = results(importYaml(document.replace("keep", "nokeep").replace("enabled: true",
                "enabled: false"), null));
        assertEquals("failed", refused.get(0).get("action"));
        assertTrue(String.valueOf(refused.get(0).get("error")).contains("idleTimeout requires persistence.enabled"),
                String.valueOf(refused));
    }

    @Test
    void aPoolInTheSpecImportsAndExports() {
        String document = """
                kind: SandboxTemplate
                metadata:
                    name: pooled
                spec:
                    image: x
                    pool: {min: 1, max: 3}
                """;
        assertEquals(List.of("created"), results(importYaml(document, null)).stream().map(r -> r.get("action")).toList());
        Map<?, ?> spec = (Map<?, ?>) yaml(api.sendForText(HttpRequest.GET("/api/v1/templates/pooled/export"))).get("spec");
        assertEquals(Map.of("min", 1, "max", 3), spec.get("pool"), "docs/pools.md: a pool travels with an export");
        List<Map<?, ?>> refused = results(importYaml(document.replace("pooled", "badpool").replace("max: 3", "max: 0"), null));
        assertEquals("failed", refused.get(0).get("action"), String.valueOf(refused));
    }

    static Map<?, ?> yaml(Reply reply) {
        assertEquals(HttpStatus.OK, reply.status(), String.valueOf(reply.body()));
        return new Yaml().load((String) reply.body());
    }

    static void assertCoded(Reply reply, String code, String messagePart) {
        assertEquals(code, ((Map<?, ?>) reply.map().get("error")).get("code"), String.valueOf(reply.body()));
        assertTrue(((String) ((Map<?, ?>) reply.map().get("error")).get("message")).contains(messagePart),
                String.valueOf(reply.body()));
    }
}
