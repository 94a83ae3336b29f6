package io.liteboxd.api.error;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A repository call that failed: {@link DatabaseErrors}. */
@Singleton
public class DataAccessExceptionHandler implements ExceptionHandler<DataAccessException, HttpResponse<Object>> {

    @Override
    public HttpResponse<Object> handle(HttpRequest request, DataAccessException exception) {
        return DatabaseErrors.respond(request, exception);
    }
}
