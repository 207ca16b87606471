package dev.rollout.activities.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;

/**
 * Flag values in stores that hold only strings (Redis hashes, ConfigMaps): strings as written,
 * numbers and booleans as their text, lists and maps as JSON. Reading turns them back, so a value
 * read and written again is the same value.
 */
public final class FlagValues {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TYPED = Pattern.compile("true|false|-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?|[\\[{].*", Pattern.DOTALL);

  private FlagValues() {}

  public static String encode(Object value) {
    if (value instanceof String s) return s;
    if (value instanceof Number || value instanceof Boolean) return value.toString();
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("flag value " + value + " cannot be written as JSON", e);
    }
  }

  public static Object decode(String text) {
    if (text == null) return null;
    if (!TYPED.matcher(text).matches()) return text;
    try {
      return JSON.readValue(text, Object.class);
    } catch (JsonProcessingException notJson) {
      return text;
    }
  }
}
