package io.liteboxd.api.error;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders {@link ApiException} as upstream's flat error body (plus {@code Retry-After} when it has one). */
@Singleton
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException exception) {
        var response = HttpResponse.<ErrorBody>status(exception.status()).body(new ErrorBody(exception.getMessage()));
        if (exception.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER,
                    Long.toString(ApiException.retryAfterSeconds(exception.retryAfter())));
        }
        return response;
    }
}
