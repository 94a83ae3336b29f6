package io.liteboxd.api;

import io.liteboxd.api.storage.DatabaseMode;
import io.liteboxd.common.auth.ControlPlaneCredentials;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the LiteBoxd api service. Its annotations head the OpenAPI document that
 * micronaut-openapi writes at build time (openapi.properties), served at /openapi/liteboxd-api.yml.
 */
@OpenAPIDefinition(
        info = @Info(title = "LiteBoxd API", version = "v1", description = ApiApplication.DIFFERENCES),
        tags = {
            @Tag(name = "auth", description = "Login, session and API keys"),
            @Tag(name = "sandboxes", description = "Sandboxes, their status history and metadata"),
            @Tag(name = "reconcile", description = "Comparing the database with the cluster"),
            @Tag(name = "volumes", description = "Which volume claims belong to which sandbox"),
            @Tag(name = "templates", description = "Templates, versions, rollback, YAML import and export"),
            @Tag(name = "console", description = "What the web console adds: live events and resource usage")
        })
@SecurityScheme(name = ApiApplication.SESSION, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.COOKIE,
        paramName = ControlPlaneCredentials.SESSION_COOKIE, description = "The session cookie set by "
        + "`POST /api/v1/auth/login`; named `__Host-liteboxd_session` under TLS")
@SecurityScheme(name = ApiApplication.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "`Authorization: Bearer lbxk_…`, an API key from `POST /api/v1/auth/api-keys`")
public final class ApiApplication {

    /** Security scheme names of the OpenAPI document. */
    public static final String SESSION = "session";
    public static final String API_KEY = "apiKey";

    /** The document's description: the upstream contract, and where we leave it on purpose. */
    static final String DIFFERENCES = """
            The upstream LiteBoxd v1 API: same paths, methods, success codes, JSON field names (mixed casing \
            included) and both error shapes. Template routes answer errors as `{"error":{"code","message"}}`, every \
            other route as `{"error":"<message>"}`; 401 comes from the auth filter and is always the flat shape.

            Where this implementation deliberately differs from upstream:
            - Validation and lookup failures are fixed 4xx codes, never 500 or an empty-bodied crash: an unknown \
            template is 404, a bad override or quantity or a negative ttl is 400, deleting an unknown sandbox is 404, \
            importing a document of the wrong `kind` is 400. An unknown spec key fails that template's import \
            instead of being dropped.
            - Lists are always `[]`, never `null` (import `results` and template `tags` included).
            - `GET /sandboxes/pvcs?state=deleting` is accepted (upstream answered 400 for a state it produced).
            - The startup timeout (`startupTimeout`, default 300 s) is kept on the pod: a sandbox not ready by then \
            becomes `failed`, across API restarts too.
            - A template's `files` and `startupScript` are in place before its `command` starts (upstream ran \
            the script right after creating the pod and uploaded the files after readiness, so a command running \
            one of its own files failed). \
            A template without `command` runs the image's own entrypoint, which is not held back: it starts \
            alongside the files and the script. In both cases the sandbox stays `pending` until they are done, \
            so wait for `status: running` before relying on them.
            - An API key's `last_used_at` is written at its first use and then at most once a minute per API \
            replica (upstream wrote it on every request, which serialized requests on that row).
            - Access tokens are never written to Kubernetes objects in plaintext: pods carry only their SHA-256. \
            `GET /sandboxes/{id}` still returns the token, decrypted from the database.
            - Templates: list paging clamps `pageSize` to 100 instead of resetting it to 20; export is not capped \
            at 20; an empty string clears `displayName`/`description` on update; rolling back to a missing version \
            answers `VERSION_NOT_FOUND`; `export` and `import` are reserved names.
            - Exec honours any `timeout` up to `liteboxd.exec.max-timeout` (1 h; upstream was cut at 60 s), and a             command that times out is killed in the sandbox with its children and answers `exit_code` 124. Exec,             files and logs on an unknown sandbox are 404, on one that is not running 409 (upstream: 500).
            - Uploads stream (no whole-file buffering), create missing parent directories, refuse relative paths             and `..` with 400 and bodies above `LITEBOXD_MAX_UPLOAD_BYTES` (1 GiB) with 413; the file appears only             when complete. Downloads stream with `Content-Disposition`; a missing file is 404, a directory 400.
            - Logs: `events` is always an array (upstream sent `null`).
            - `GET /sandboxes/{id}/exec/interactive` (a WebSocket; not listed below, OpenAPI cannot describe it)             speaks upstream's frames; `tty=false` delivers stderr, UTF-8 split across chunks arrives intact, `error`             frames report failures before the command runs, and the server pings every 20 s.
            - The YAML export routes answer whatever the `Accept` header says (the Python SDK sends JSON).
            - Persistent sandboxes keep their root filesystem on a PVC without upstream's privileged helper \
            (docs/persistence.md): exec runs in `main` without `chroot`; `persistence.storageClassName` may be empty \
            (the cluster default) or `local-path`; templates and `overrides` have `idleTimeout` (seconds; persistent \
            only) and the create overrides `persistence.size`; `startupTimeout` does not apply to them.
            - Login is throttled per client address and per user name (429 `too many failed logins, retry later`             with `Retry-After`); password checks are bounded (503 `server busy, retry later`); passwords over 72             bytes are 400. A password change ends the user's other sessions (and with `revoke_api_keys: true`             deletes every API key). There is no default admin password (a generated one is written to             `${DATA_DIR}/initial-admin-password`).
            - Under TLS the session cookie is `__Host-liteboxd_session`. Cookie-authenticated requests and             WebSocket upgrades from another origin are 403 `cross-origin request refused`; CORS with credentials             is granted only to `AUTH_ALLOWED_ORIGINS` (upstream echoed any origin).
            - Caps (docs/security.md): cpu, memory, ttl and `startupTimeout` above `SANDBOX_MAX_*` are 400 \
            (`overrides.cpu 64 exceeds the maximum 2`) on template writes and on sandbox create, also for a \
            template's own values; beyond `SANDBOX_MAX_LIVE` live sandboxes create is 429 \
            `sandbox limit reached: <n> live sandboxes (SANDBOX_MAX_LIVE)`.
            - Sandbox pods (docs/security.md, Sandbox pods) drop every capability but `SANDBOX_CAPABILITIES` \
            and have an ephemeral-storage limit and a `/workspace` size limit: beyond either the kubelet evicts \
            the pod and the sandbox is `failed` with `status_reason` `evicted: <the kubelet's message>`.
            - Logs are read with a byte limit (`LOGS_MAX_BYTES`), over-long lines cut; execs are capped             (`EXEC_MAX_SESSIONS`, 503) and waits on the sandbox have deadlines (504 `timed out waiting for the             sandbox`).
            """;

    private ApiApplication() {}

    public static void main(String[] args) {
        // LITEBOXD_DATABASE picks the metadata database before anything starts: postgres adds the
        // environment of application-postgres.yml; a value that is neither stops here, by name.
        DatabaseMode database;
        try {
            database = DatabaseMode.of(System.getenv());
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(ApiApplication.class).error("cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        // No ASCII banner: every line on stdout is a JSON log record.
        Micronaut.build(args).mainClass(ApiApplication.class).environments(database.environments()).banner(false)
                .start();
    }
}
