package io.liteboxd.installer.state;

import java.util.LinkedHashMap;
import java.util.Map;

/** A phase's own outcome and, for per-node phases, each node's (keyed by host:port). */
public record PhaseRecord(StepRecord phase, Map<String, StepRecord> nodes) {
  public PhaseRecord {
    nodes = nodes == null ? new LinkedHashMap<>() : new LinkedHashMap<>(nodes);
  }
}
