package io.liteboxd.api.events;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ErrorBody;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.reactivestreams.Publisher;

/**
 * {@code GET /api/v1/events}: server-sent events for the web console (docs/console.md). Auth as
 * every /api/v1 route (the session cookie; EventSource cannot send headers, an API key works for
 * other clients). The stream carries changes only; a client loads the current state with the
 * normal routes on every (re)connect, which the first event, {@code hello}, marks.
 */
@Controller("/api/v1/events")
@Tag(name = "console")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
public class EventsController {

    private final LiveEvents events;

    EventsController(LiveEvents events) {
        this.events = events;
    }

    // The error media types are spelled out: otherwise they would inherit text/event-stream.
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(operationId = "streamEvents", summary = "Live changes: `hello` first, then `sandbox` "
            + "(the Sandbox as getSandbox returns it, without accessToken, or `{id, status: deleted}` once gone) and "
            + "`prepull` (as getPrepull returns it) events, a keep-alive comment every 20 s; ends when this "
            + "replica drains (reconnect)",
            responses = {
                @ApiResponse(responseCode = "200", description = "The event stream",
                        content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string"))),
                @ApiResponse(responseCode = "401", description = "No valid session cookie or API key "
                        + "(`authentication required`, `invalid or expired API key`)",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                schema = @Schema(implementation = ErrorBody.class))),
                @ApiResponse(responseCode = "500", description = "Unexpected failure",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                schema = @Schema(implementation = ErrorBody.class)))
            })
    Publisher<Event<String>> stream() {
        return events.stream();
    }
}
