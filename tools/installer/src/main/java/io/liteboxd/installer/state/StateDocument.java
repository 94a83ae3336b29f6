package io.liteboxd.installer.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What state.json holds: the JSON shape of {@link InstallState}. {@code joinedAgents} holds each
 * agent this installer joined, by host:port: removeAbsentAgents takes only these out of the
 * cluster. A state.json from before it has none (an empty map).
 */
public record StateDocument(int schema, String cluster, String configFingerprint, Map<String, JoinedAgent> joinedAgents,
    Map<String, PhaseRecord> phases) {
  public static final int SCHEMA = 1;

  public StateDocument {
    joinedAgents = joinedAgents == null ? new LinkedHashMap<>() : new LinkedHashMap<>(joinedAgents);
    phases = phases == null ? new LinkedHashMap<>() : new LinkedHashMap<>(phases);
  }
}
