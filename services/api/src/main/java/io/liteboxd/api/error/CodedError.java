package io.liteboxd.api.error;

import io.liteboxd.api.error.UpstreamErrorResponses.CodedBody;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * OpenAPI error responses in the nested shape {@code {"error":{"code","message"}}} ({@link CodedBody}):
 * what the template exception handler and {@link UpstreamErrorResponses} send on
 * {@code /api/v1/templates} and {@code /api/v1/images}. The one exception is 401: the auth filter
 * answers it before any route is chosen, always flat, as upstream's middleware did.
 */
public interface CodedError {

    /** Every template route: 401 (flat, from the auth filter), 500 for anything unexpected. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "401", description = "No valid session cookie or API key; the auth filter's flat "
            + "shape, as on every route", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "500", description = "Unexpected failure (`INTERNAL_ERROR`)",
            content = @Content(schema = @Schema(implementation = CodedBody.class)))
    @interface Defaults {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "400", description = "Invalid request (`INVALID_REQUEST`, `INVALID_YAML`)",
            content = @Content(schema = @Schema(implementation = CodedBody.class)))
    @interface BadRequest {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "404", description = "No such template or version (`TEMPLATE_NOT_FOUND`, "
            + "`VERSION_NOT_FOUND`)", content = @Content(schema = @Schema(implementation = CodedBody.class)))
    @interface NotFound {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "409", description = "The template exists already (`TEMPLATE_EXISTS`)",
            content = @Content(schema = @Schema(implementation = CodedBody.class)))
    @interface Conflict {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "409", description = "A pre-pull of that image is still running (`PREPULL_IN_PROGRESS`)",
            content = @Content(schema = @Schema(implementation = CodedBody.class)))
    @interface PrepullInProgress {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "404", description = "No such pre-pull (`PREPULL_NOT_FOUND`)",
            content = @Content(schema = @Schema(implementation = CodedBody.class)))
    @interface PrepullNotFound {}

    /** Request bodies above 10 MiB, uploaded files above 1 MiB (Micronaut's defaults). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "413", description = "Request body or uploaded file too large (`INVALID_REQUEST`)",
            content = @Content(schema = @Schema(implementation = CodedBody.class)))
    @interface TooLarge {}
}
