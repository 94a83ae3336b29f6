package io.liteboxd.api.sandbox;

import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.limits.SandboxCaps;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * The live-sandbox cap ({@code SANDBOX_MAX_LIVE}): a new sandbox's first row is written only while
 * fewer than the cap are live (not deleted, terminating included, since their pods still hold
 * resources). Count and insert are one transaction, and SQLite transactions here take the write
 * lock when they begin ({@code transaction_mode=IMMEDIATE}), so two concurrent creates cannot
 * both take the last place. Over the cap: 429, nothing written.
 */
@Singleton
public class SandboxAdmission {

    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final SandboxCaps caps;

    SandboxAdmission(SandboxRepository sandboxes, StatusHistoryRepository history, SandboxCaps caps) {
        this.sandboxes = sandboxes;
        this.history = history;
        this.caps = caps;
    }

    @Transactional
    public void admit(Sandbox row, StatusHistory created) {
        if (sandboxes.countLive() >= caps.maxLive()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS,
                    "sandbox limit reached: " + caps.maxLive() + " live sandboxes (SANDBOX_MAX_LIVE)");
        }
        sandboxes.save(row);
        history.save(created);
    }
}
