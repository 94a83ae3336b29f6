package io.liteboxd.api.error;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A connection the pool handed out that could not be set up for the call (typically one the
 * database closed under it during a restart): {@link DatabaseErrors}.
 */
@Singleton
public class ConnectionExceptionHandler implements ExceptionHandler<ConnectionException, HttpResponse<Object>> {

    @Override
    public HttpResponse<Object> handle(HttpRequest request, ConnectionException exception) {
        return DatabaseErrors.respond(request, exception);
    }
}
