package io.liteboxd.api.sandbox;

/**
 * How {@code POST /sandboxes} made a sandbox: from a template's warm pool (a Ready pod claimed) or
 * cold (a new pod or Deployment). Sent back in {@code X-Liteboxd-Create-Path} and used as the
 * {@code path} tag of the create metrics; the wire form is the lower-case name.
 */
public enum CreatePath {
    POOL, COLD;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
