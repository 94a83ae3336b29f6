package io.liteboxd.installer.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads `kubectl get nodes -o json`. Readiness comes from the Ready condition's status field, not
 * from matching text: upstream's installer grepped the STATUS column for /Ready/, which
 * "NotReady" matches.
 */
public final class NodeStatusParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeStatusParser() {}

  public static List<NodeStatus> parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.path("items").isArray()) {
      throw new IOException("not a node list (no items array)");
    }
    List<NodeStatus> out = new ArrayList<>();
    for (JsonNode item : root.path("items")) {
      String name = item.path("metadata").path("name").asText("");
      String ip = "";
      for (JsonNode a : item.path("status").path("addresses")) {
        if ("InternalIP".equals(a.path("type").asText())) {
          ip = a.path("address").asText("");
          break;
        }
      }
      boolean ready = false;
      String reason = "no Ready condition";
      for (JsonNode c : item.path("status").path("conditions")) {
        if ("Ready".equals(c.path("type").asText())) {
          ready = "True".equals(c.path("status").asText());
          reason = c.path("reason").asText("") + (c.hasNonNull("message") ? ": " + c.path("message").asText() : "");
        }
      }
      String version = item.path("status").path("nodeInfo").path("kubeletVersion").asText("");
      out.add(new NodeStatus(name, ip, ready, reason, version));
    }
    return out;
  }
}
