package io.liteboxd.api.error;

import io.liteboxd.api.error.UpstreamErrorResponses.Coded;
import io.liteboxd.api.error.UpstreamErrorResponses.CodedBody;
import io.liteboxd.api.storage.DatabaseUnavailable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response to a failed database call, whichever layer raised it (the repositories'
 * DataAccessException, the transaction manager's TransactionException): 503 with
 * {@code Retry-After: 1} when the database could not be reached ({@link DatabaseUnavailable}),
 * else 500; in the route's upstream error shape, never with the exception's text.
 */
final class DatabaseErrors {

    static final String UNAVAILABLE = "database unavailable, retry later";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseErrors.class);

    private DatabaseErrors() {}

    static HttpResponse<Object> respond(HttpRequest<?> request, RuntimeException failure) {
        boolean unavailable = DatabaseUnavailable.is(failure);
        if (unavailable) {
            LOG.warn("{} {}: the database is unreachable ({})", request.getMethod(), request.getPath(), failure.toString());
        } else {
            LOG.error("{} {}: database call failed", request.getMethod(), request.getPath(), failure);
        }
        HttpStatus status = unavailable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR;
        String message = unavailable ? UNAVAILABLE : "internal error";
        Object body = UpstreamErrorResponses.usesCodedErrors(request.getPath())
                ? new CodedBody(new Coded(unavailable ? "UNAVAILABLE" : "INTERNAL_ERROR", message))
                : new ErrorBody(message);
        var response = HttpResponse.status(status).contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
        return unavailable ? response.header(HttpHeaders.RETRY_AFTER, "1") : response;
    }
}
