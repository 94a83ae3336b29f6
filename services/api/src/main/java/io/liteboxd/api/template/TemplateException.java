package io.liteboxd.api.template;

import io.micronaut.http.HttpStatus;

/**
 * A template, pre-pull or import/export failure, shown with upstream's nested body
 * {@code {"error":{"code":"<CODE>","message":"..."}}}.
 */
public class TemplateException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public TemplateException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 400 {@code INVALID_REQUEST}, for callers outside this package (the warm pool's). */
    public static TemplateException badRequest(String message) {
        return invalid(message);
    }

    /** 404 {@code TEMPLATE_NOT_FOUND}, for callers outside this package. */
    public static TemplateException notFound(String name) {
        return templateNotFound(name);
    }

    static TemplateException invalid(String message) {
        return new TemplateException(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message);
    }

    static TemplateException templateNotFound(String name) {
        return new TemplateException(HttpStatus.NOT_FOUND, "TEMPLATE_NOT_FOUND", "Template '" + name + "' not found");
    }
}
