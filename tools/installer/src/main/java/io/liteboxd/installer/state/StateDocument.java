package io.liteboxd.installer.state;

import java.util.LinkedHashMap;
import java.util.Map;

/** What state.json holds: the JSON shape of {@link InstallState}. */
public record StateDocument(int schema, String cluster, String configFingerprint, Map<String, PhaseRecord> phases) {
  public static final int SCHEMA = 1;

  public StateDocument {
    phases = phases == null ? new LinkedHashMap<>() : new LinkedHashMap<>(phases);
  }
}
