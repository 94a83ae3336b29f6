package io.liteboxd.api.template;

import io.liteboxd.api.error.UpstreamErrorResponses.Coded;
import io.liteboxd.api.error.UpstreamErrorResponses.CodedBody;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders {@link TemplateException} in upstream's nested error shape. */
@Singleton
public class TemplateExceptionHandler implements ExceptionHandler<TemplateException, HttpResponse<CodedBody>> {

    @Override
    public HttpResponse<CodedBody> handle(HttpRequest request, TemplateException exception) {
        return HttpResponse.<CodedBody>status(exception.status())
                .body(new CodedBody(new Coded(exception.code(), exception.getMessage())));
    }
}
