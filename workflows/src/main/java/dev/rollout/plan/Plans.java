package dev.rollout.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads plan files (YAML or JSON). A plan comes back only when it is valid; otherwise a {@link
 * PlanException} lists every problem with its file, line, column and field path.
 */
public final class Plans {
  /** Plans are short; anything bigger is a mistake (or an attack on the parser). */
  public static final int MAX_BYTES = 1024 * 1024;

  private static final ObjectMapper MAPPER = PlanMapper.create();

  private Plans() {}

  /** The mapper for plan files: human durations, lenient days, strict about unknown fields. */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  public static Plan load(Path file) {
    String source = file.toString();
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) throw tooBig(source, size);
      byte[] bytes = Files.readAllBytes(file);
      String text = StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      return parse(text, source);
    } catch (NoSuchFileException e) {
      throw fileProblem(source, "does not exist");
    } catch (CharacterCodingException e) {
      throw fileProblem(source, "is not UTF-8 text");
    } catch (IOException e) {
      throw fileProblem(source, "cannot be read: " + e.getMessage());
    }
  }

  public static Plan parse(String text, String sourceName) {
    long size = text.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_BYTES) throw tooBig(sourceName, size);
    LocatedTree tree;
    try {
      tree = LocatedTree.read(text);
    } catch (JsonProcessingException e) {
      throw malformed(sourceName, e);
    } catch (IOException e) {
      throw fileProblem(sourceName, "cannot be read: " + e.getMessage());
    }
    Problems problems = new Problems(sourceName, tree);
    if (tree.root == null || !tree.root.isObject()) {
      problems.inFile(tree.valueAt(""), tree.root == null
          ? "the plan is empty"
          : "a plan is a mapping of fields (apiVersion, name, targets, phases, …), not a "
              + (tree.root.isArray() ? "list" : "single value"));
      throw new PlanException(problems.sorted());
    }
    for (String[] duplicate : tree.duplicateKeys()) {
      problems.atKey(duplicate[0], "'" + duplicate[1] + "' is written more than once");
    }
    Plan plan = new PlanBinder(MAPPER).bind(tree, problems);
    if (plan != null) PlanValidator.check(plan, tree, problems);
    if (!problems.isEmpty()) throw new PlanException(problems.sorted());
    return plan;
  }

  private static PlanException malformed(String source, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String format = source.endsWith(".json") ? "malformed JSON: " : "malformed YAML: ";
    String why = e.getOriginalMessage();
    if (e.getCause() instanceof MarkedYAMLException y) {
      why = y.getProblem() + (y.getContext() == null ? "" : " (" + y.getContext() + ")");
      if (y.getProblemMark() != null) {
        return new PlanException(List.of(new Problem(source, y.getProblemMark().getLine() + 1,
            y.getProblemMark().getColumn() + 1, "", format + why)));
      }
    }
    int line = at == null ? 1 : Math.max(at.getLineNr(), 1);
    int column = at == null ? 1 : Math.max(at.getColumnNr(), 1);
    return new PlanException(List.of(new Problem(source, line, column, "", format + why)));
  }

  private static PlanException tooBig(String source, long size) {
    return fileProblem(source, "is " + size + " bytes; a plan file may hold at most "
        + MAX_BYTES + " bytes (1 MiB)");
  }

  private static PlanException fileProblem(String source, String message) {
    return new PlanException(List.of(new Problem(source, 1, 1, "", "the file " + message)));
  }
}
