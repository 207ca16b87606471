package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of the plan format, generated from the plan records the parser
 * binds, so the two cannot drift: field names from the record components (and their
 * {@code @JsonProperty}), enum spellings from Jackson, the {@code kind}/{@code type} of each sealed
 * family from its {@code @JsonSubTypes}, units as the parser reads them (durations {@code 30s},
 * {@code 24h}, {@code 2w}; quantities {@code 5%}, {@code 200ms}, {@code 120MB}). Published as
 * {@code docs/plan.schema.json}; editors with a YAML language server complete and check plans with
 * it. Meaning-level checks (a migration needs a backup, names resolve) stay in the validator.
 */
public final class PlanSchema {
  public static final String ID = "https://rollout.dev/schemas/plan.schema.json";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ObjectMapper mapper = PlanMapper.create();
  private final ObjectNode defs = JSON.objectNode();

  private PlanSchema() {}

  /** The schema, as the JSON object written to {@code docs/plan.schema.json}. */
  public static ObjectNode generate() {
    PlanSchema s = new PlanSchema();
    ObjectNode root = JSON.objectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$id", ID);
    root.put("title", "Rollout plan");
    root.put("description", "A multi-phase rollout plan run by Rollout Orchestrator (docs/plan-format.md).");
    ObjectNode plan = s.record(Plan.class);
    root.setAll(plan);
    s.defs.put("Duration", JSON.objectNode().put("type", "string")
        .put("pattern", "^((\\d+(ms|s|m|h|d|w))+|-?[Pp].+)$")
        .put("description", "a duration: 30s, 5m, 24h, 7d, 2w, 1h30m or ISO-8601 (PT24H)"));
    s.defs.set("Quantity", JSON.objectNode()
        .put("description", "a number, or a number with a unit: 5%, 0.1pp (percentage points), 200ms, 1.5s, 120MB, 512MiB")
        .set("anyOf", JSON.arrayNode()
            .add(JSON.objectNode().put("type", "number"))
            .add(JSON.objectNode().put("type", "string").put("pattern", "^\\s*[+-]?\\d+(\\.\\d+)?\\s*(" + unitSymbols() + ")?\\s*$"))));
    root.set("$defs", s.defs);
    return root;
  }

  /** The unit symbols a quantity may carry (letters and %, no regex metacharacters), as an alternation. */
  private static String unitSymbols() {
    return java.util.Arrays.stream(Quantity.Unit.values()).map(Quantity.Unit::symbol).filter(u -> !u.isEmpty())
        .collect(java.util.stream.Collectors.joining("|"));
  }

  private ObjectNode schemaOf(Type type) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        return JSON.objectNode().put("type", "array").set("items", schemaOf(args[0]));
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode map = JSON.objectNode().put("type", "object");
        if (args[1] != Object.class) map.set("additionalProperties", schemaOf(args[1]));
        return map;
      }
      return schemaOf(raw);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) return JSON.objectNode().put("type", "string");
    if (c == boolean.class || c == Boolean.class) return JSON.objectNode().put("type", "boolean");
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return JSON.objectNode().put("type", "integer");
    }
    if (c == double.class || c == Double.class) return JSON.objectNode().put("type", "number");
    if (c == Duration.class) return ref("Duration");
    if (c == Quantity.class) return ref("Quantity");
    if (c == Instant.class) return JSON.objectNode().put("type", "string").put("format", "date-time");
    if (c == LocalTime.class) {
      return JSON.objectNode().put("type", "string").put("pattern", "^\\d{1,2}:\\d{2}(:\\d{2})?$");
    }
    if (c == DayOfWeek.class) {
      return JSON.objectNode().put("type", "string")
          .put("pattern", "^(?i)(mon|tue|wed|thu|fri|sat|sun)[a-z]*$");
    }
    if (c == Object.class) return JSON.objectNode();
    if (c.isEnum()) return enumeration(c);
    String name = defName(c);
    if (!defs.has(name)) {
      defs.set(name, JSON.objectNode()); // placeholder: a record may refer to itself
      defs.set(name, c.isSealed() ? family(c) : record(c));
    }
    return ref(name);
  }

  private ObjectNode record(Class<?> c) {
    return record(c, null, null);
  }

  /** An object with the record's fields; {@code tagField = tag} when it is one of a family. */
  private ObjectNode record(Class<?> c, String tagField, String tag) {
    ObjectNode node = JSON.objectNode().put("type", "object");
    ObjectNode props = JSON.objectNode();
    if (tagField != null) props.set(tagField, JSON.objectNode().put("const", tag));
    for (RecordComponent rc : c.getRecordComponents()) {
      JsonProperty renamed = rc.getAnnotation(JsonProperty.class);
      if (renamed == null && rc.getAccessor().getAnnotation(JsonProperty.class) != null) {
        renamed = rc.getAccessor().getAnnotation(JsonProperty.class);
      }
      String field = renamed != null && !renamed.value().isEmpty() ? renamed.value() : rc.getName();
      props.set(field, schemaOf(rc.getGenericType()));
    }
    node.set("properties", props);
    if (tagField != null) node.set("required", JSON.arrayNode().add(tagField));
    // The parser refuses unknown fields: so does the schema (editors flag typos).
    node.put("additionalProperties", false);
    return node;
  }

  private ObjectNode family(Class<?> sealed) {
    String tagField = sealed.getAnnotation(JsonTypeInfo.class).property();
    ArrayNode oneOf = JSON.arrayNode();
    ArrayNode tags = JSON.arrayNode();
    for (JsonSubTypes.Type sub : sealed.getAnnotation(JsonSubTypes.class).value()) {
      String name = defName(sub.value());
      defs.set(name, record(sub.value(), tagField, sub.name()));
      oneOf.add(ref(name));
      tags.add(sub.name());
    }
    ObjectNode node = JSON.objectNode().put("type", "object");
    node.set("required", JSON.arrayNode().add(tagField));
    node.set("properties", JSON.objectNode().set(tagField, JSON.objectNode().set("enum", tags)));
    node.set("oneOf", oneOf);
    return node;
  }

  private ObjectNode enumeration(Class<?> c) {
    ArrayNode values = JSON.arrayNode();
    for (Object constant : c.getEnumConstants()) values.add(mapper.valueToTree(constant));
    return JSON.objectNode().set("enum", values);
  }

  private static ObjectNode ref(String name) {
    return JSON.objectNode().put("$ref", "#/$defs/" + name);
  }

  private static String defName(Class<?> c) {
    return c.getEnclosingClass() == null ? c.getSimpleName() : c.getEnclosingClass().getSimpleName() + "." + c.getSimpleName();
  }
}
