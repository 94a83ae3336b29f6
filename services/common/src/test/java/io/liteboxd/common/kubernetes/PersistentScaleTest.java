package io.liteboxd.common.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PersistentScaleTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void stopScalesToZeroAndRecordsWhenAndWhyInOnePatch() {
        JsonObject patch = JsonParser.parseString(PersistentScale.stopPatch(NOW, "idle for 600s")).getAsJsonObject();
        assertEquals(0, patch.getAsJsonObject("spec").get("replicas").getAsInt());
        JsonObject annotations = patch.getAsJsonObject("metadata").getAsJsonObject("annotations");
        assertEquals("2026-11-30T12:00:00Z", annotations.get("liteboxd.io/stopped-at").getAsString());
        assertEquals("idle for 600s", annotations.get("liteboxd.io/stop-reason").getAsString());
        // A wake request that raced the stop is dropped with it, not honoured later.
        assertEquals(true, annotations.get("liteboxd.io/wake-requested-at").isJsonNull());
    }

    @Test
    void startMovesTheExpiryByTheTimeSpentStoppedAndClearsTheStopAnnotations() {
        Map<String, String> current = Map.of(
                "liteboxd.io/expires-at", "2026-11-30T13:00:00Z",
                "liteboxd.io/stopped-at", "2026-11-30T11:30:00Z");
        JsonObject patch = JsonParser.parseString(PersistentScale.startPatch(current, NOW)).getAsJsonObject();
        assertEquals(1, patch.getAsJsonObject("spec").get("replicas").getAsInt());
        JsonObject annotations = patch.getAsJsonObject("metadata").getAsJsonObject("annotations");
        assertEquals("2026-11-30T13:30:00Z", annotations.get("liteboxd.io/expires-at").getAsString());
        for (String removed : new String[] {"liteboxd.io/stopped-at", "liteboxd.io/stop-reason", "liteboxd.io/wake-requested-at"}) {
            assertEquals(true, annotations.get(removed).isJsonNull(), removed);
        }
    }

    @Test
    void aSandboxThatNeverExpiresKeepsNoExpiry() {
        JsonObject patch = JsonParser.parseString(PersistentScale.startPatch(
                Map.of("liteboxd.io/stopped-at", "2026-11-30T11:30:00Z"), NOW)).getAsJsonObject();
        assertEquals(false, patch.getAsJsonObject("metadata").getAsJsonObject("annotations").has("liteboxd.io/expires-at"));
    }

    @Test
    void anUnreadableOrFutureStopTimeMovesNothing() {
        assertNull(PersistentScale.movedExpiry(Map.of("liteboxd.io/expires-at", "2026-11-30T13:00:00Z",
                "liteboxd.io/stopped-at", "yesterday"), NOW));
        assertNull(PersistentScale.movedExpiry(Map.of("liteboxd.io/expires-at", "2026-11-30T13:00:00Z",
                "liteboxd.io/stopped-at", "2026-11-30T12:30:00Z"), NOW));
    }

    @Test
    void aConditionalStopCarriesTheResourceVersionItWasDecidedOn() {
        String body = PersistentScale.stopPatch(NOW, "idle for 5s", "4711");
        JsonObject patch = JsonParser.parseString(body).getAsJsonObject();
        assertEquals("4711", patch.getAsJsonObject("metadata").get("resourceVersion").getAsString());
        assertEquals("0", patch.getAsJsonObject("spec").get("replicas").toString(), "an integer, as int32 fields need");
        assertNull(JsonParser.parseString(PersistentScale.stopPatch(NOW, "x")).getAsJsonObject()
                .getAsJsonObject("metadata").get("resourceVersion"), "unconditional without one");
        JsonObject annotations = patch.getAsJsonObject("metadata").getAsJsonObject("annotations");
        assertEquals("idle for 5s", annotations.get("liteboxd.io/stop-reason").getAsString());
        assertEquals(true, annotations.get("liteboxd.io/wake-requested-at").isJsonNull(), "nulls survive the rewrite");
    }
}
