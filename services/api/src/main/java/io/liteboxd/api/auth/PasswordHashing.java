package io.liteboxd.api.auth;

import io.liteboxd.api.error.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one way into bcrypt (login, password change, admin bootstrap). A hash at cost 12 is a
 * quarter-second of CPU; unbounded, a burst of logins would occupy every core and every blocking
 * thread. So at most {@code concurrency} run at once, in arrival order; a request that cannot get
 * its turn within {@code queueTimeout} is answered 503 {@code server busy, retry later}.
 */
@Singleton
public class PasswordHashing {

    private final Semaphore permits;
    private final HashingSettings settings;

    PasswordHashing(HashingSettings settings) {
        this.settings = settings;
        this.permits = new Semaphore(settings.concurrency(), true);
    }

    /** Runs {@code work} (which hashes) holding a permit; 503 when none frees up in time. */
    <T> T run(Supplier<T> work) {
        try {
            if (!permits.tryAcquire(settings.queueTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    String hash(String password) {
        return run(() -> Passwords.hash(password));
    }

    /** For tests: the semaphore, to hold every permit and watch a request queue up. */
    Semaphore permits() {
        return permits;
    }

    private ApiException busy() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "server busy, retry later", settings.queueTimeout());
    }
}
