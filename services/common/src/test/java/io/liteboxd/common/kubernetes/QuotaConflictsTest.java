package io.liteboxd.common.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.ApiException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QuotaConflictsTest {

    /** The body the API server sent in the upgrade suite's Postgres run (2026-12-01). */
    static final String QUOTA_CONFLICT = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"Operation cannot be fulfilled on resourcequotas \\\"liteboxd-sandboxes\\\": the object has been "
            + "modified; please apply your changes to the latest version and try again\",\"reason\":\"Conflict\","
            + "\"details\":{\"name\":\"liteboxd-sandboxes\",\"kind\":\"resourcequotas\"},\"code\":409}";
    static final String ALREADY_EXISTS = "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods \\\"sandbox-ab12cd34\\\" "
            + "already exists\",\"reason\":\"AlreadyExists\",\"details\":{\"name\":\"sandbox-ab12cd34\",\"kind\":\"pods\"},\"code\":409}";

    @Test
    void onlyAQuotaConflictIsRetried() {
        assertTrue(QuotaConflicts.isQuotaConflict(409, QUOTA_CONFLICT));
        assertFalse(QuotaConflicts.isQuotaConflict(409, ALREADY_EXISTS), "the object exists: another try cannot help");
        assertFalse(QuotaConflicts.isQuotaConflict(403, QUOTA_CONFLICT.replace("409", "403")));
        assertFalse(QuotaConflicts.isQuotaConflict(409, null));
    }

    @Test
    void retriesUntilTheCreateGoesThrough() throws ApiException {
        AtomicInteger calls = new AtomicInteger();
        String made = QuotaConflicts.retrying(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new ApiException(409, Map.of(), QUOTA_CONFLICT);
            }
            return "pod";
        });
        assertEquals("pod", made);
        assertEquals(3, calls.get());
    }

    @Test
    void givesUpAfterItsAttemptsAndNeverRetriesOtherErrors() {
        AtomicInteger calls = new AtomicInteger();
        ApiException last = assertThrows(ApiException.class, () -> QuotaConflicts.retrying(() -> {
            calls.incrementAndGet();
            throw new ApiException(409, Map.of(), QUOTA_CONFLICT);
        }));
        assertEquals(409, last.getCode());
        assertEquals(QuotaConflicts.ATTEMPTS, calls.get());

        calls.set(0);
        assertThrows(ApiException.class, () -> QuotaConflicts.retrying(() -> {
            calls.incrementAndGet();
            throw new ApiException(409, Map.of(), ALREADY_EXISTS);
        }));
        assertEquals(1, calls.get());
    }
}
