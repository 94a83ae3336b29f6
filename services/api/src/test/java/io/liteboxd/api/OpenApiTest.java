package io.liteboxd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.ApiClient.Reply;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.HttpMethodMapping;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.uri.UriMatchTemplate;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.BeanDefinitionReference;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document the build generates, as served, against what the code does: the same
 * routes, the error shape each route really answers with, success codes and JSON names.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest implements SqliteTestDatabase {

    private static final String API = "/api/v1/";
    private static final String SCHEMAS = "#/components/schemas/";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Router router;

    @Inject
    ApplicationContext context;

    Map<String, Object> document;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "openapi-tests");
    }

    @BeforeAll
    void fetchWithoutCredentials() {
        HttpResponse<String> response = http.toBlocking()
                .exchange(HttpRequest.GET("/openapi/liteboxd-api.yml"), String.class);
        assertEquals(HttpStatus.OK, response.getStatus());
        // Served as text/plain: Micronaut's table of file extensions has no .yml.
        document = new Yaml().load(response.body());
        assertTrue(((String) document.get("openapi")).startsWith("3."));
        assertEquals("LiteBoxd API", map(document, "info").get("title"));
        assertEquals("v1", map(document, "info").get("version"));
    }

    @Test
    void documentsExactlyTheRoutesOfTheCode() {
        Set<String> documented = documentedOperations().keySet();
        // What this context routes. Micronaut adds a HEAD for every GET, which OpenAPI leaves implied.
        Set<String> routed = router.uriRoutes()
                .filter(route -> route.getHttpMethod() != HttpMethod.HEAD)
                .map(route -> key(route.getHttpMethodName(), route.getUriMatchTemplate().toPathString()))
                .filter(key -> key.contains(" " + API))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> compiled = compiledRoutes();
        assertEquals(Set.of(), minus(routed, documented), "routed but not documented");
        assertEquals(Set.of(), minus(routed, compiled), "the annotation reading below misses routes");
        assertTrue(compiled.contains("POST /api/v1/sandboxes") && !routed.contains("POST /api/v1/sandboxes"),
                "Kubernetes-only controllers are compiled but not routed without a cluster, yet checked");
        assertEquals(Set.of(), minus(compiled, documented), "compiled but not documented");
        assertEquals(Set.of(), minus(documented, compiled), "documented but not in the code");
    }

    /**
     * The routes of every compiled controller, whether or not its {@code @Requires} holds here:
     * SandboxController and PvcController need Kubernetes, which tests switch off, so the router
     * (and {@code getBeanDefinitions}, which applies the requirements) lacks them. The bean
     * definition references the compiler wrote are all listed, enabled or not; loading one only
     * reads its metadata. Paths are built as Micronaut builds routes: controller URI, nested method URI.
     */
    private Set<String> compiledRoutes() {
        Set<String> routes = new TreeSet<>();
        for (BeanDefinitionReference<?> reference : context.getBeanDefinitionReferences()) {
            if (!reference.hasStereotype(Controller.class)) {
                continue;
            }
            BeanDefinition<?> controller = reference.load();
            String base = controller.stringValue(Controller.class).orElse("/");
            controller.getExecutableMethods().stream()
                    .filter(method -> method.hasStereotype(HttpMethodMapping.class))
                    .forEach(method -> routes.add(key(
                            method.getAnnotationTypeByStereotype(HttpMethodMapping.class).orElseThrow().getSimpleName(),
                            UriMatchTemplate.of(base).nest(method.stringValue(HttpMethodMapping.class).orElse(""))
                                    .toPathString())));
        }
        routes.removeIf(key -> !key.contains(" " + API));
        return routes;
    }

    @Test
    void errorsAreDocumentedInTheShapeTheirRouteAnswersWith() {
        documentedOperations().forEach((key, operation) -> {
            Map<String, Object> responses = map(operation, "responses");
            assertTrue(responses.containsKey("401") && responses.containsKey("500"), key);
            responses.forEach((code, response) -> {
                if (Integer.parseInt(code) < 400) {
                    return;
                }
                // The auth filter answers before routing, flat everywhere (like upstream's middleware).
                boolean coded = !code.equals("401")
                        && (key.contains(" /api/v1/templates") || key.contains(" /api/v1/images"));
                String expected = SCHEMAS + (coded ? "CodedError" : "Error");
                Map<String, Object> content = map(asMap(response), "content");
                assertEquals(Set.of("application/json"), content.keySet(), key + " " + code);
                assertFalse(content.isEmpty(), key + " " + code);
                content.values().forEach(media -> assertEquals(expected, map(asMap(media), "schema").get("$ref"),
                        key + " " + code));
            });
        });
    }

    @Test
    void realErrorsAreDocumentedWithTheirBodies() {
        ApiClient api = new ApiClient(http, "admin", "openapi-tests");
        assertDocumentedError("GET /api/v1/templates/{}", api.send(HttpRequest.GET("/api/v1/templates/missing")));
        assertDocumentedError("POST /api/v1/templates", api.send(HttpRequest.POST("/api/v1/templates", "{")));
        assertDocumentedError("GET /api/v1/sandboxes/reconcile/runs/{}",
                api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs/missing")));
        assertDocumentedError("GET /api/v1/sandboxes/metadata",
                api.send(HttpRequest.GET("/api/v1/sandboxes/metadata?created_from=yesterday")));
        assertDocumentedError("POST /api/v1/sandboxes/reconcile",
                api.send(HttpRequest.POST("/api/v1/sandboxes/reconcile", "")));
        assertDocumentedError("GET /api/v1/auth/api-keys", api.send(HttpRequest.GET("/api/v1/auth/api-keys")));
        HttpClientResponseException anonymous = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/templates"), Object.class));
        assertDocumentedError("GET /api/v1/templates",
                new Reply(anonymous.getStatus(), anonymous.getResponse().getBody(Object.class).orElseThrow()));
    }

    /** The operation documents the status of an error the server really sent, with a schema its body fits. */
    private void assertDocumentedError(String operation, Reply reply) {
        assertTrue(reply.status().getCode() >= 400, operation + " " + reply);
        Map<String, Object> response = map(map(documentedOperations().get(operation), "responses"),
                String.valueOf(reply.status().getCode()));
        assertFalse(response.isEmpty(), operation + " does not document " + reply.status());
        String ref = (String) map(map(map(response, "content"), "application/json"), "schema").get("$ref");
        assertMatches(ref.substring(SCHEMAS.length()), reply.body());
    }

    @Test
    void successCodesAndJsonNamesAreTheCodes() {
        Map<String, Map<String, Object>> operations = documentedOperations();
        operations.forEach((key, operation) -> assertEquals(1, map(operation, "responses").keySet().stream()
                .filter(code -> code.startsWith("2")).count(), key + ": one success code"));
        assertSuccess(operations, "POST /api/v1/sandboxes", "201", "Sandbox");
        assertSuccess(operations, "GET /api/v1/sandboxes/{}", "200", "Sandbox");
        assertSuccess(operations, "DELETE /api/v1/sandboxes/{}", "202", "Sandbox");
        assertSuccess(operations, "POST /api/v1/sandboxes/reconcile", "202", "ReconcileRunDetail");
        assertSuccess(operations, "POST /api/v1/templates", "201", "Template");
        assertSuccess(operations, "POST /api/v1/auth/api-keys", "201", "ApiKeyController.Created");
        Map<?, ?> deleted = map(map(operations.get("DELETE /api/v1/templates/{}"), "responses"), "204");
        assertNull(deleted.get("content"), "204 has no body");

        Map<String, Object> sandbox = schema("Sandbox");
        assertTrue(map(sandbox, "properties").keySet().containsAll(
                List.of("accessToken", "accessUrl", "created_at", "lifecycle_status", "templateVersion", "deletion")));
        assertTrue(((List<?>) sandbox.get("required")).containsAll(List.of("id", "status", "created_at")));
        assertFalse(((List<?>) sandbox.get("required")).contains("accessToken"), "only on create and get");
        assertTrue(map(schema("SandboxViews.SandboxPage"), "properties").containsKey("page_size"));
        assertTrue(map(schema("TemplateViews.TemplatePage"), "properties").containsKey("pageSize"));
        assertEquals(List.of("name", "spec"), schema("TemplateViews.CreateRequest").get("required"));

        assertEquals(List.of("include_terminating"), parameters(operations.get("GET /api/v1/sandboxes")));
        assertTrue(parameters(operations.get("GET /api/v1/sandboxes/metadata"))
                .containsAll(List.of("desired_state", "deletion_phase", "created_from", "page", "page_size")));
        assertEquals(List.of("sandbox_id", "storage_class", "state", "page", "page_size"),
                parameters(operations.get("GET /api/v1/sandboxes/pvcs")));
        assertEquals(Set.of("id", "limit", "before_id"),
                Set.copyOf(parameters(operations.get("GET /api/v1/sandboxes/{}/status-history"))));
    }

    @Test
    void securityIsWhatTheAuthFilterAccepts() {
        Map<String, Map<String, Object>> operations = documentedOperations();
        List<Map<String, List<?>>> either = List.of(Map.of("session", List.of()), Map.of("apiKey", List.of()));
        List<Map<String, List<?>>> sessionOnly = List.of(Map.of("session", List.of()));
        operations.forEach((key, operation) -> {
            Object security = operation.get("security");
            if (key.equals("POST /api/v1/auth/login")) {
                assertNull(security, "login is public");
            } else if (key.contains(" /api/v1/auth/api-keys") || key.endsWith("/logout")
                    || key.endsWith("/change-password")) {
                assertEquals(sessionOnly, security, key);
                assertTrue(map(operation, "responses").containsKey("403"), key);
            } else {
                assertEquals(either, security, key);
            }
        });
        Map<String, Object> schemes = map(map(document, "components"), "securitySchemes");
        Map<String, Object> cookie = map(schemes, "session");
        assertEquals(List.of("apiKey", "cookie", "liteboxd_session"),
                List.of(cookie.get("type"), cookie.get("in"), cookie.get("name")));
        Map<String, Object> bearer = map(schemes, "apiKey");
        assertEquals(List.of("http", "bearer"), List.of(bearer.get("type"), bearer.get("scheme")));
    }

    /** "METHOD /api/v1/path" → operation, path variables written {@code {}}. */
    private Map<String, Map<String, Object>> documentedOperations() {
        Map<String, Map<String, Object>> operations = new TreeMap<>();
        map(document, "paths").forEach((path, item) -> {
            if (path.startsWith(API)) {
                // A path item also holds keys that are no method (parameters, summary).
                asMap(item).forEach((method, operation) -> {
                    if (Stream.of(HttpMethod.values()).anyMatch(m -> m.name().equalsIgnoreCase(method))) {
                        operations.put(key(method, path), asMap(operation));
                    }
                });
            }
        });
        return operations;
    }

    private static String key(String method, String path) {
        String normalized = path.replaceAll("\\{[?&][^}]*}", "").replaceAll("\\{[^}]*}", "{}");
        if (normalized.length() > 1 && normalized.endsWith("/")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        return method.toUpperCase(Locale.ROOT) + " " + normalized;
    }

    private void assertSuccess(Map<String, Map<String, Object>> operations, String key, String code, String schema) {
        assertTrue(operations.containsKey(key), key + " is not documented");
        Map<?, ?> response = map(map(operations.get(key), "responses"), code);
        assertEquals(SCHEMAS + schema, map(map(map(response, "content"), "application/json"), "schema").get("$ref"),
                key + " " + code);
    }

    private static List<String> parameters(Map<String, Object> operation) {
        List<String> names = new ArrayList<>();
        for (Object parameter : (List<?>) operation.getOrDefault("parameters", List.of())) {
            names.add((String) ((Map<?, ?>) parameter).get("name"));
        }
        return names;
    }

    private Map<String, Object> schema(String name) {
        return map(map(map(document, "components"), "schemas"), name);
    }

    /** An error body against a schema of the document: its required keys, no undocumented ones, strings. */
    private void assertMatches(String schemaName, Object body) {
        Map<String, Object> schema = schema(schemaName);
        Map<String, Object> properties = map(schema, "properties");
        Map<String, Object> value = asMap(body);
        assertTrue(properties.keySet().containsAll(value.keySet()), schemaName + " lacks keys of " + body);
        assertTrue(value.keySet().containsAll((List<?>) schema.getOrDefault("required", List.of())),
                body + " lacks required keys of " + schemaName);
        value.forEach((name, field) -> {
            Map<String, Object> property = map(properties, name);
            if (property.get("$ref") instanceof String ref) {
                assertMatches(ref.substring(SCHEMAS.length()), field);
            } else {
                assertEquals("string", property.get("type"), schemaName + "." + name);
                assertTrue(field instanceof String, schemaName + "." + name);
            }
        });
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> difference = new TreeSet<>(a);
        difference.removeAll(b);
        return difference;
    }

    /** A YAML mapping under {@code key}, empty when absent. */
    private static Map<String, Object> map(Map<?, ?> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : asMap(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object yaml) {
        return (Map<String, Object>) yaml;
    }
}
