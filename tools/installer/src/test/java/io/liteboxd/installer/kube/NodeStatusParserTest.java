package io.liteboxd.installer.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.installer.testing.Fixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeStatusParserTest {
  @Test
  void notReadyIsNotReady() throws IOException {
    List<NodeStatus> nodes = NodeStatusParser.parse(Fixtures.nodesJson(List.of("10.0.0.1"), List.of("10.0.0.11")));
    assertEquals(2, nodes.size());
    NodeStatus ready = nodes.get(0);
    assertEquals("node-10-0-0-1", ready.name());
    assertEquals("10.0.0.1", ready.internalIP());
    assertTrue(ready.ready());
    assertEquals("v1.31.4+k3s1", ready.kubeletVersion());
    NodeStatus notReady = nodes.get(1);
    assertEquals("10.0.0.11", notReady.internalIP());
    // Upstream matched "NotReady" against /Ready/; the status field says False.
    assertFalse(notReady.ready());
    assertTrue(notReady.readyReason().startsWith("KubeletNotReady: container runtime network not ready"));
  }

  @Test
  void aNodeWithoutReadyConditionIsNotReady() throws IOException {
    String json = """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"metadata": {"name": "n1"}, "status": {"addresses": [{"type": "InternalIP", "address": "10.1.1.1"}],
           "conditions": [{"type": "MemoryPressure", "status": "False"}]}}]}
        """;
    NodeStatus n = NodeStatusParser.parse(json).get(0);
    assertFalse(n.ready());
    assertEquals("no Ready condition", n.readyReason());
  }

  @Test
  void emptyListAndGarbage() throws IOException {
    assertTrue(NodeStatusParser.parse("{\"kind\":\"List\",\"items\":[]}").isEmpty());
    assertThrows(IOException.class, () -> NodeStatusParser.parse("NAME STATUS\nn1 NotReady"));
    assertThrows(IOException.class, () -> NodeStatusParser.parse("{\"kind\":\"Status\"}"));
  }
}
