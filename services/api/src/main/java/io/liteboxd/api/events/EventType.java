package io.liteboxd.api.events;

import java.util.Locale;

/** The event names of {@code GET /api/v1/events} (docs/console.md). */
public enum EventType {
    /** Sent first on every stream: the client knows it is connected (and reloads what it shows). */
    HELLO,
    /** A sandbox changed: its JSON as GET /sandboxes/{id} (no token), or {"id","status":"deleted"}. */
    SANDBOX,
    /** A pre-pull changed: its JSON as GET /images/prepull/{id}. */
    PREPULL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
