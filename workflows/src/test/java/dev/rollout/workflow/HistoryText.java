package dev.rollout.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A workflow history as text a person (or a secret scan) can search: {@code toJson} carries every
 * payload (inputs, results, failures' details, headers, memos) base64-encoded, so a plain
 * {@code contains} on it never finds a value inside one. Here each payload's data is decoded.
 */
public final class HistoryText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistoryText() {}

  public static String of(WorkflowExecutionHistory history) {
    try {
      JsonNode tree = JSON.readTree(history.toJson(false));
      decode(tree);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void decode(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode data = o.get("data");
      if (data != null && data.isTextual() && o.has("metadata")) {
        o.put("data", new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8));
      }
      o.elements().forEachRemaining(HistoryText::decode);
    } else if (node.isArray()) {
      node.elements().forEachRemaining(HistoryText::decode);
    }
  }
}
