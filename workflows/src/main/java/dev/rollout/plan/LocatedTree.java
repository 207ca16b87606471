package dev.rollout.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan file read once into a Jackson tree, remembering where each value (and each key) starts, so
 * every problem found later, while binding or validating, can name its line and column. JSON is
 * valid YAML, so this reads both.
 */
final class LocatedTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final int MAX_NODES = 200_000;
  /**
   * How deep values may nest. A plan nests a handful of levels; Jackson's own limit (1,000) is
   * checked only after this reader has recursed that deep, and on a cold request thread that
   * overflowed the stack (a 500 instead of a problem naming the line).
   */
  static final int MAX_DEPTH = 64;

  final JsonNode root;
  private final Map<String, JsonLocation> values = new HashMap<>();
  private final Map<String, JsonLocation> keys = new HashMap<>();
  private final List<String[]> duplicateKeys = new java.util.ArrayList<>();
  /** YAML anchors ({@code &goNoGo}) by name, so aliases ({@code *goNoGo}) can repeat them. */
  private final Map<String, JsonNode> anchors = new HashMap<>();
  private final Map<String, Integer> anchorSizes = new HashMap<>();
  private int nodes;
  private int depth;

  private LocatedTree(String text) throws IOException {
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken first = p.nextToken();
      root = first == null ? null : read(p, "");
      if (root != null && p.nextToken() != null) {
        throw new JsonParseException(
            p, "a plan file holds one YAML document, found a second", p.currentTokenLocation());
      }
    }
  }

  /** Reads the text; throws {@link com.fasterxml.jackson.core.JsonProcessingException} if malformed. */
  static LocatedTree read(String text) throws IOException {
    return new LocatedTree(text);
  }

  /** Where the value at {@code path} starts; falls back to its nearest located ancestor. */
  JsonLocation valueAt(String path) {
    for (String p = path; ; p = PlanPaths.parent(p)) {
      JsonLocation at = values.get(p);
      if (at != null || p.isEmpty()) return at;
    }
  }

  /** Where the key of the field at {@code path} starts, or its value's location if it has none. */
  JsonLocation keyAt(String path) {
    JsonLocation at = keys.get(path);
    return at != null ? at : valueAt(path);
  }

  /** Keys written twice in one mapping: each entry is {path, key}. */
  List<String[]> duplicateKeys() {
    return duplicateKeys;
  }

  /** The node at {@code path} in the (possibly pruned) tree, or null. */
  JsonNode nodeAt(String path) {
    return find(root, "", path);
  }

  private static JsonNode find(JsonNode node, String at, String path) {
    if (node == null || at.equals(path)) return node;
    if (node.isObject()) {
      for (var e : node.properties()) {
        String child = PlanPaths.field(at, e.getKey());
        if (PlanPaths.within(path, child)) return find(e.getValue(), child, path);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String child = PlanPaths.index(at, i);
        if (PlanPaths.within(path, child)) return find(node.get(i), child, path);
      }
    }
    return null;
  }

  private JsonNode read(JsonParser p, String path) throws IOException {
    if (depth == MAX_DEPTH) {
      throw new JsonParseException(p, "values nested more than " + MAX_DEPTH + " levels deep", p.currentTokenLocation());
    }
    depth++;
    try {
      return readLocated(p, path);
    } finally {
      depth--;
    }
  }

  private JsonNode readLocated(JsonParser p, String path) throws IOException {
    values.put(path, p.currentTokenLocation());
    if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      JsonNode anchored = anchors.get(p.getText());
      if (anchored == null) {
        throw new JsonParseException(p, "unknown alias *" + p.getText(), p.currentTokenLocation());
      }
      count(p, anchorSizes.get(p.getText()));
      return anchored.deepCopy();
    }
    String anchor = p instanceof YAMLParser yaml ? yaml.getObjectId() : null;
    int before = nodes;
    JsonNode node = readValue(p, path);
    if (anchor != null) {
      anchors.put(anchor, node);
      anchorSizes.put(anchor, nodes - before);
    }
    return node;
  }

  /** Refuses "billion laughs" files whose aliases multiply into millions of nodes. */
  private void count(JsonParser p, int more) throws IOException {
    nodes += more;
    if (nodes > MAX_NODES) {
      throw new JsonParseException(p, "more than " + MAX_NODES + " values (aliases expanded)",
          p.currentTokenLocation());
    }
  }

  private JsonNode readValue(JsonParser p, String path) throws IOException {
    count(p, 1);
    return switch (p.currentToken()) {
      case START_OBJECT -> readObject(p, path);
      case START_ARRAY -> readArray(p, path);
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> NODES.numberNode(p.getIntValue());
        case LONG -> NODES.numberNode(p.getLongValue());
        default -> NODES.numberNode(p.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> NODES.textNode(p.getText());
    };
  }

  private ObjectNode readObject(JsonParser p, String path) throws IOException {
    ObjectNode object = NODES.objectNode();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      String child = PlanPaths.field(path, key);
      if (object.has(key)) duplicateKeys.add(new String[] {child, key});
      keys.put(child, p.currentTokenLocation());
      p.nextToken();
      object.set(key, read(p, child));
    }
    return object;
  }

  private ArrayNode readArray(JsonParser p, String path) throws IOException {
    ArrayNode array = NODES.arrayNode();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      array.add(read(p, PlanPaths.index(path, array.size())));
    }
    return array;
  }
}
