package dev.rollout.plan;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Binds the located tree to a {@link Plan}. Jackson stops at the first error, so each error is
 * reported, the offending field is cut out of the tree, and binding tries again: the user sees every
 * type error at once, and the plan bound from what is left still gets its semantic checks.
 */
final class PlanBinder {
  /** More errors than this in one file means it is not a plan; stop there. */
  private static final int MAX_ERRORS = 200;

  private final ObjectMapper mapper;

  PlanBinder(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The plan bound from what is left after cutting out every field Jackson refused; null if none. */
  Plan bind(LocatedTree tree, Problems problems) {
    for (int attempt = 0; attempt < MAX_ERRORS; attempt++) {
      try {
        return mapper.treeToValue(tree.root, Plan.class);
      } catch (JsonMappingException e) {
        String path = PlanPaths.of(e.getPath());
        if (e instanceof UnrecognizedPropertyException) {
          problems.atKey(path, BindingErrors.describe(e, tree.nodeAt(path), mapper));
        } else if (e instanceof InvalidTypeIdException t && t.getTypeId() != null) {
          problems.at(BindingErrors.typeIdPath(path, t), BindingErrors.describe(e, null, mapper));
        } else {
          problems.at(path, BindingErrors.describe(e, tree.nodeAt(path), mapper));
        }
        problems.silence(path);
        if (!cut(tree.root, e.getPath()) && !fillMissing(tree.root, e)) return null;
      } catch (Exception e) {
        problems.at("", "cannot read the plan: " + e.getMessage());
        return null;
      }
    }
    return null;
  }

  /**
   * A primitive field that is absent cannot be cut; it is filled with a placeholder instead (the
   * field is already reported, so nothing checks the placeholder) and binding goes on.
   */
  private static boolean fillMissing(JsonNode root, JsonMappingException e) {
    List<Reference> path = e.getPath();
    if (!(e instanceof MismatchedInputException) || path.isEmpty()) return false;
    JsonNode parent = root;
    for (Reference r : path.subList(0, path.size() - 1)) {
      parent = r.getFieldName() != null ? parent.get(r.getFieldName()) : parent.get(r.getIndex());
      if (parent == null) return false;
    }
    String name = path.get(path.size() - 1).getFieldName();
    if (!(parent instanceof ObjectNode object) || name == null || object.has(name)) return false;
    object.put(name, 0);
    return true;
  }

  /** Removes the field (or nulls the list element) the references lead to; false if not found. */
  private static boolean cut(JsonNode root, List<Reference> path) {
    if (path.isEmpty()) return false;
    JsonNode parent = root;
    for (Reference r : path.subList(0, path.size() - 1)) {
      parent = r.getFieldName() != null ? parent.get(r.getFieldName()) : parent.get(r.getIndex());
      if (parent == null) return false;
    }
    Reference last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode object && last.getFieldName() != null) {
      return object.remove(last.getFieldName()) != null;
    }
    if (parent instanceof ArrayNode array && last.getIndex() >= 0 && last.getIndex() < array.size()) {
      if (array.get(last.getIndex()).isNull()) return false;
      array.set(last.getIndex(), NullNode.getInstance());
      return true;
    }
    return false;
  }
}
