package dev.rollout.plan;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns Jackson's binding errors into messages for people who write plans, not Java. */
final class BindingErrors {
  private BindingErrors() {}

  /** Polymorphic families: base type → (what it is called, its discriminator, its names). */
  private record Family(String what, String field, List<String> names) {}

  private static final Map<Class<?>, Family> FAMILIES =
      Map.of(
          Step.class, new Family("step kind", "kind", Step.KINDS),
          Router.class, new Family("router type", "type", Router.TYPES),
          FlagStore.class, new Family("flag store type", "type", FlagStore.TYPES),
          MetricSource.class, new Family("metric source type", "type", MetricSource.TYPES),
          Notifier.class, new Family("notifier type", "type", Notifier.TYPES));

  static String describe(JsonMappingException e, JsonNode node, ObjectMapper mapper) {
    if (e instanceof UnrecognizedPropertyException u) {
      String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return "unknown field '" + u.getPropertyName() + "' (known: " + known + ")";
    }
    if (e instanceof InvalidTypeIdException t) {
      Family f = FAMILIES.get(t.getBaseType().getRawClass());
      if (f == null) return e.getOriginalMessage();
      String names = String.join(", ", f.names());
      return t.getTypeId() == null
          ? "missing '" + f.field() + "' (one of: " + names + ")"
          : "unknown " + f.what() + " '" + t.getTypeId() + "' (known: " + names + ")";
    }
    if (e.getCause() instanceof IllegalArgumentException cause && cause.getMessage() != null) {
      return cause.getMessage();
    }
    if (e instanceof InvalidFormatException f) {
      return notA(f.getValue(), f.getTargetType(), f.getOriginalMessage(), mapper);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      if (node == null) return "missing required field '" + lastName(m) + "'";
      if (node.isNull()) return "must not be empty";
      return "expected " + expected(m.getTargetType()) + ", found " + found(node);
    }
    return e.getOriginalMessage();
  }

  private static String lastName(JsonMappingException e) {
    var path = e.getPath();
    return path.isEmpty() ? "" : String.valueOf(path.get(path.size() - 1).getFieldName());
  }

  /** An unknown kind is placed on the {@code kind} value itself, not the whole step. */
  static String typeIdPath(String path, InvalidTypeIdException t) {
    Family f = FAMILIES.get(t.getBaseType().getRawClass());
    return f == null ? path : PlanPaths.field(path, f.field());
  }

  private static String notA(Object value, Class<?> type, String original, ObjectMapper mapper) {
    if (type == java.time.Duration.class || type == java.time.DayOfWeek.class) return original;
    String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
    if (type.isEnum()) {
      String names = Arrays.stream(type.getEnumConstants())
          .map(c -> mapper.convertValue(c, String.class)).collect(Collectors.joining(", "));
      return shown + " is not one of " + names;
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return shown + " is not a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class) return shown + " is not a number";
    if (type == boolean.class || type == Boolean.class) return shown + " is not true or false";
    if (type == LocalTime.class) return shown + " is not a time of day (HH:MM, e.g. \"02:00\")";
    if (type == Instant.class) return shown + " is not a date-time (e.g. 2026-12-24T00:00:00Z)";
    return original;
  }

  private static String expected(Class<?> type) {
    if (Collection.class.isAssignableFrom(type) || type.isArray()) return "a list";
    if (Map.class.isAssignableFrom(type) || type.isRecord() || type.isInterface()) return "a mapping";
    if (type == int.class || type == Integer.class) return "a whole number";
    if (Number.class.isAssignableFrom(type) || type == double.class) return "a number";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    return "a single value";
  }

  private static String found(JsonNode node) {
    if (node.isObject()) return "a mapping";
    if (node.isArray()) return "a list";
    if (node.isTextual()) return "'" + node.asText() + "'";
    return node.toString();
  }
}
