package io.liteboxd.common.kubernetes;

import io.kubernetes.client.openapi.ApiException;
import java.util.concurrent.TimeUnit;

/**
 * Creates that the API server refused only because two admissions raced on the namespace's
 * ResourceQuota: 409 Conflict "Operation cannot be fulfilled on resourcequotas …: the object has
 * been modified". Nothing was created and the quota itself may well have room; the API server asks
 * the client to try again, which kubectl and the controllers do. Without this a burst of creates
 * (a warm pool refilling beside users' creates) failed one of them with 500.
 */
public final class QuotaConflicts {

    /** Attempts in all; the waits between them grow 50, 100, 200 ms. */
    static final int ATTEMPTS = 4;
    private static final long FIRST_WAIT_MS = 50;

    private QuotaConflicts() {}

    /** One create call against the API server. */
    @FunctionalInterface
    public interface Create<T> {
        T call() throws ApiException;
    }

    /** Runs {@code create}, again after a quota conflict, at most {@link #ATTEMPTS} times. */
    public static <T> T retrying(Create<T> create) throws ApiException {
        long wait = FIRST_WAIT_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                return create.call();
            } catch (ApiException e) {
                if (attempt >= ATTEMPTS || !isQuotaConflict(e.getCode(), e.getResponseBody())) {
                    throw e;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException("interrupted while retrying a create after a quota conflict");
            }
            wait *= 2;
        }
    }

    /** A 409 about the quota object, not an AlreadyExists of the object being created. */
    static boolean isQuotaConflict(int code, String body) {
        return code == 409 && body != null && body.contains("\"reason\":\"Conflict\"") && body.contains("resourcequotas");
    }
}
