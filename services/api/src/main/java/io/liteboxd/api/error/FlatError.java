package io.liteboxd.api.error;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * OpenAPI error responses in the flat shape {@code {"error":"<message>"}} ({@link ErrorBody}): what
 * {@link ApiExceptionHandler}, the auth filter and {@link UpstreamErrorResponses} send on every
 * route outside {@code /api/v1/templates} and {@code /api/v1/images}. One annotation per status, so
 * a method lists exactly the failures it raises; {@link Defaults} goes on the controller.
 */
public interface FlatError {

    /** Every authenticated route: 401 from the auth filter, 500 for anything unexpected. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "401", description = "No valid session cookie or API key (`authentication required`, "
            + "`invalid or expired API key`)", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "500", description = "Unexpected failure",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface Defaults {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "400", description = "Invalid request (malformed JSON, a missing or invalid field)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface BadRequest {}

    /** Login and password change: the 401 means the password, not the credentials of the request. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "401", description = "A wrong password (`invalid credentials`, `invalid old password`) "
            + "or, for a password change, no valid session",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface WrongPassword {}

    /** Credential management is for logged-in humans: an API key gets 403. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "403", description = "Needs a session: "
            + "`this operation requires session authentication (web login)`",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface SessionOnly {}

    /** Login throttling: too many failures for this client address or user name. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "429", description = "Locked after too many failed logins from this address or for "
            + "this user (`too many failed logins, retry later`); `Retry-After` says for how many seconds",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface Throttled {}

    /** Live sandboxes are capped (SANDBOX_MAX_LIVE). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "429", description = "As many sandboxes live as allowed (`sandbox limit reached: <n> "
            + "live sandboxes (SANDBOX_MAX_LIVE)`); nothing was created",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface SandboxLimit {}

    /** Password hashing is bounded (AUTH_HASH_CONCURRENCY): 503 when the queue does not move in time. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "503", description = "Too many password checks at once (`server busy, retry later`), "
            + "with `Retry-After`", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface Busy {}

    /** Pod execs are capped (EXEC_MAX_SESSIONS). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "503", description = "Too many execs open at once (`too many exec sessions, retry "
            + "later`), with `Retry-After`", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface TooManyExecs {}

    /** A deadline on the sandbox passed before the answer started (FILES_*, EXEC_START_TIMEOUT). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "504", description = "The sandbox did not answer in time (`timed out waiting for the "
            + "sandbox`)", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface TimedOut {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "404", description = "Not found",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface NotFound {}

    /** Request bodies above {@code micronaut.server.max-request-size} ({@code LITEBOXD_MAX_UPLOAD_BYTES}, 1 GiB). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "413", description = "Request body too large",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface TooLarge {}

    /** The sandbox exists but cannot do it now: no pod, not running, or being deleted. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "409", description = "The sandbox is not running (`sandbox is not running`, "
            + "`sandbox is terminating`, `sandbox has no pod`)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface NotRunning {}

    /** A persistent sandbox's stop, start or restart in a state that does not allow it (spec §3.5). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "409", description = "Not in this state (`sandbox is already stopped`, "
            + "`sandbox cannot be stopped in its current state`, `sandbox is not stopped`, "
            + "`sandbox is terminating or deleted`)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface Conflict {}

    /** An egress request that does not apply: no allowlist to edit, or no proxy (docs/security.md, Egress). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "409", description = "No editable allowlist (`sandbox has no domain allowlist: its "
            + "template's network decides its egress`, `the allowlist of a persistent sandbox cannot be edited yet`, "
            + "`sandbox has no pod`, `the egress proxy is not enabled`)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface NoAllowlist {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "403", description = "The sandbox's user may not read the file (`permission denied`)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface Unreadable {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "503", description = "The API runs without a Kubernetes connection",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @interface NoCluster {}
}
