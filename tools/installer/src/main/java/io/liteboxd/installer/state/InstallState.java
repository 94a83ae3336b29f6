package io.liteboxd.installer.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The progress of installs of one cluster, shared by the threads of a run (hence synchronized).
 * Phases are kept in the order they first ran, which is the install order.
 */
public final class InstallState {
  private final String cluster;
  private String configFingerprint;
  private final Map<String, JoinedAgent> joinedAgents;
  private final Map<String, PhaseRecord> phases;

  public InstallState(String cluster, String configFingerprint) {
    this(new StateDocument(StateDocument.SCHEMA, cluster, configFingerprint, null, null));
  }

  public InstallState(StateDocument doc) {
    this.cluster = doc.cluster();
    this.configFingerprint = doc.configFingerprint();
    this.joinedAgents = new LinkedHashMap<>(doc.joinedAgents());
    this.phases = new LinkedHashMap<>(doc.phases());
  }

  public synchronized StateDocument document() {
    Map<String, PhaseRecord> copy = new LinkedHashMap<>();
    phases.forEach((k, v) -> copy.put(k, new PhaseRecord(v.phase(), v.nodes())));
    return new StateDocument(StateDocument.SCHEMA, cluster, configFingerprint, joinedAgents, copy);
  }

  /** Remembers that this installer joined {@code agent}. */
  public synchronized void markJoined(JoinedAgent agent) {
    joinedAgents.put(agent.address(), agent);
  }

  /** The agents this installer joined and has not removed, by host:port. */
  public synchronized Map<String, JoinedAgent> joinedAgents() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(joinedAgents));
  }

  public synchronized void setConfigFingerprint(String fingerprint) {
    this.configFingerprint = fingerprint;
  }

  public synchronized String configFingerprint() {
    return configFingerprint;
  }

  /** The record of a phase ({@code node} null) or of a phase on one node. */
  public synchronized Optional<StepRecord> get(String phase, String node) {
    PhaseRecord p = phases.get(phase);
    if (p == null) return Optional.empty();
    return Optional.ofNullable(node == null ? p.phase() : p.nodes().get(node));
  }

  public synchronized void set(String phase, String node, StepRecord record) {
    PhaseRecord p = phases.getOrDefault(phase, new PhaseRecord(null, null));
    Map<String, StepRecord> nodes = new LinkedHashMap<>(p.nodes());
    if (node == null) {
      phases.put(phase, new PhaseRecord(record, nodes));
    } else {
      nodes.put(node, record);
      phases.put(phase, new PhaseRecord(p.phase(), nodes));
    }
  }

  /** Forgets a removed machine everywhere. */
  public synchronized void removeNode(String node) {
    joinedAgents.remove(node);
    phases.replaceAll((k, p) -> {
      Map<String, StepRecord> nodes = new LinkedHashMap<>(p.nodes());
      nodes.remove(node);
      return new PhaseRecord(p.phase(), nodes);
    });
  }

  /** The first of {@code order} that is not DONE or SKIPPED, if any. */
  public synchronized Optional<String> firstUnfinished(List<String> order) {
    for (String phase : order) {
      PhaseRecord p = phases.get(phase);
      if (p == null || p.phase() == null || !p.phase().status().finished()) return Optional.of(phase);
    }
    return Optional.empty();
  }
}
