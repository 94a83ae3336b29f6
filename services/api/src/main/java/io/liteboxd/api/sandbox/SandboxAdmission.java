package io.liteboxd.api.sandbox;

import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.limits.SandboxCaps;
import io.liteboxd.api.storage.TransactionLock;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * The live-sandbox cap ({@code SANDBOX_MAX_LIVE}): a new sandbox's first row is written only while
 * fewer than the cap are live (not deleted, terminating included, since their pods still hold
 * resources). Count and insert are one transaction under {@link TransactionLock} (SQLite's write
 * lock, or a Postgres advisory lock shared by every API replica), so two concurrent creates cannot
 * both take the last place, not even on two replicas. Over the cap: 429, nothing written.
 */
@Singleton
public class SandboxAdmission {

    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final SandboxCaps caps;
    private final TransactionLock lock;

    SandboxAdmission(SandboxRepository sandboxes, StatusHistoryRepository history, SandboxCaps caps,
                     TransactionLock lock) {
        this.sandboxes = sandboxes;
        this.history = history;
        this.caps = caps;
        this.lock = lock;
    }

    @Transactional
    public void admit(Sandbox row, StatusHistory created) {
        lock.acquire(TransactionLock.Scope.SANDBOX_ADMISSION);
        if (sandboxes.countLive() >= caps.maxLive()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS,
                    "sandbox limit reached: " + caps.maxLive() + " live sandboxes (SANDBOX_MAX_LIVE)");
        }
        sandboxes.save(row);
        history.save(created);
    }
}
