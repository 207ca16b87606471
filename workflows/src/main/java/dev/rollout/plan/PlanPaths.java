package dev.rollout.plan;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.List;
import java.util.regex.Pattern;

/** Field paths as problems name them: {@code phases[2].steps[0].percent}, {@code metrics.error_rate}. */
final class PlanPaths {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private PlanPaths() {}

  static String field(String parent, String name) {
    if (!PLAIN_KEY.matcher(name).matches()) {
      return parent + "[\"" + name.replace("\"", "\\\"") + "\"]";
    }
    return parent.isEmpty() ? name : parent + "." + name;
  }

  static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }

  /** The path of a Jackson binding error, in the same form. */
  static String of(List<JsonMappingException.Reference> references) {
    String path = "";
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        path = field(path, r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path = index(path, r.getIndex());
      }
    }
    return path;
  }

  /** The parent of {@code phases[2].steps[0]} is {@code phases[2].steps}; of a top field, "". */
  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  /** True when {@code path} is {@code ancestor} or lies inside it. */
  static boolean within(String path, String ancestor) {
    return path.equals(ancestor)
        || ancestor.isEmpty()
        || path.startsWith(ancestor + ".")
        || path.startsWith(ancestor + "[");
  }
}
