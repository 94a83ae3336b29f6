package io.liteboxd.api.error;

import io.liteboxd.api.storage.DatabaseUnavailable;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Errors the framework raises itself (malformed JSON, failed validation, unsupported media type,
 * internal errors) in the body shape upstream clients parse: the nested
 * {@code {"error":{"code","message"}}} on template, pre-pull and import/export routes, the flat
 * {@code {"error":"..."}} everywhere else. Internal errors never carry exception text; one that
 * came from a database out of reach is 503 {@code database unavailable, retry later} with
 * {@code Retry-After: 1} ({@link DatabaseUnavailable}).
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class UpstreamErrorResponses implements ErrorResponseProcessor<Object> {

    /** The nested shape's inner object. */
    @Serdeable
    @Schema(name = "CodedErrorDetail", description = "`code` is one of `INVALID_REQUEST`, `INVALID_YAML`, "
            + "`TEMPLATE_EXISTS`, `TEMPLATE_NOT_FOUND`, `VERSION_NOT_FOUND`, `NOT_FOUND`, `CONFLICT`, `INTERNAL_ERROR`, `UNAVAILABLE` (503: the database could not be reached; retry)")
    public record Coded(String code, String message) {}

    /** The nested shape. */
    @Serdeable
    @Schema(name = "CodedError", description = "The nested error body of template and image routes")
    public record CodedBody(Coded error) {}

    /** The 503 of a database that could not be reached (docs/upgrade.md, Client retries). */
    static final String DATABASE_UNAVAILABLE = "database unavailable, retry later";

    @Override
    public MutableHttpResponse<Object> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        // Whichever layer failed (a repository, the transaction manager, the pool's connection),
        // a database that could not be reached is worth a retry, unlike other internal errors.
        boolean unavailable = status == HttpStatus.INTERNAL_SERVER_ERROR
                && context.getRootCause().filter(DatabaseUnavailable::is).isPresent();
        if (unavailable) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            response.status(status).header(HttpHeaders.RETRY_AFTER, "1");
        }
        String message = unavailable ? DATABASE_UNAVAILABLE : status.getCode() >= 500
                ? "internal error"
                : context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        if (message.isBlank()) {
            message = status.getReason();
        }
        Object body = usesCodedErrors(context.getRequest().getPath())
                ? new CodedBody(new Coded(codeFor(status), message))
                : new ErrorBody(message);
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    static boolean usesCodedErrors(String path) {
        return path.startsWith("/api/v1/templates") || path.startsWith("/api/v1/images");
    }

    private static String codeFor(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
            case SERVICE_UNAVAILABLE -> "UNAVAILABLE";
            default -> status.getCode() >= 500 ? "INTERNAL_ERROR" : "INVALID_REQUEST";
        };
    }
}
