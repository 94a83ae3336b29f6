package io.liteboxd.api.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Singleton;

/** A transaction that could not begin or end (no connection, a commit the database refused): {@link DatabaseErrors}. */
@Singleton
public class TransactionExceptionHandler implements ExceptionHandler<TransactionException, HttpResponse<Object>> {

    @Override
    public HttpResponse<Object> handle(HttpRequest request, TransactionException exception) {
        return DatabaseErrors.respond(request, exception);
    }
}
