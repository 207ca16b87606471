package dev.rollout.worker;

import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.internal.common.SearchAttributesUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The part of Temporal's visibility query language a rollout listing needs: equality conditions
 * joined by {@code AND}, on {@code WorkflowType}, {@code WorkflowId}, {@code ExecutionStatus} or a
 * keyword / keyword-list search attribute (a list matches when it holds the value), e.g.
 * {@code WorkflowType = 'RolloutWorkflow' AND RolloutWaitingFor = 'sre'}.
 *
 * <p>Callers build it from structured filters and send {@link #text()} to the server; a real
 * Temporal server answers it itself. Temporal's Java test server (the embedded default) does not
 * answer visibility queries at all, so {@link EmbeddedVisibility} reads the query off the wire
 * ({@link #parse}) and answers it with {@link #matches} — the same predicate a client uses when it
 * talks to a test server that is not ours.
 */
public record VisibilityQuery(List<Condition> conditions) {

  public static final String WORKFLOW_TYPE = "WorkflowType";
  public static final String WORKFLOW_ID = "WorkflowId";
  public static final String EXECUTION_STATUS = "ExecutionStatus";

  /** {@code attribute = 'value'}. Values never hold quotes or backslashes: nothing to escape. */
  public record Condition(String attribute, String value) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Condition {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(value, "value");
      if (!NAME.matcher(attribute).matches()) {
        throw new IllegalArgumentException("not a search attribute name: " + attribute);
      }
      if (value.indexOf('\'') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
        throw new IllegalArgumentException(attribute + ": a value cannot contain quotes or backslashes: " + value);
      }
    }

    boolean matches(WorkflowExecutionInfo info) {
      return switch (attribute) {
        case WORKFLOW_TYPE -> info.getType().getName().equals(value);
        case WORKFLOW_ID -> info.getExecution().getWorkflowId().equals(value);
        // The real server spells statuses Running, Completed, ContinuedAsNew, TimedOut …
        case EXECUTION_STATUS -> info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").replace("_", "")
            .equalsIgnoreCase(value);
        default -> {
          if (!info.getSearchAttributes().getIndexedFieldsMap().containsKey(attribute)) yield false;
          List<?> values = SearchAttributesUtil.decode(info.getSearchAttributes(), attribute);
          yield values != null && values.stream().anyMatch(v -> value.equals(String.valueOf(v)));
        }
      };
    }
  }

  public VisibilityQuery {
    conditions = List.copyOf(conditions);
  }

  public static VisibilityQuery where(String attribute, String value) {
    return new VisibilityQuery(List.of(new Condition(attribute, value)));
  }

  public VisibilityQuery and(String attribute, String value) {
    List<Condition> more = new ArrayList<>(conditions);
    more.add(new Condition(attribute, value));
    return new VisibilityQuery(more);
  }

  /** The query as Temporal's servers read it. */
  public String text() {
    return conditions.stream().map(c -> c.attribute() + " = '" + c.value() + "'").collect(Collectors.joining(" AND "));
  }

  /** True when the execution (described: its search attributes filled in) meets every condition. */
  public boolean matches(WorkflowExecutionInfo info) {
    return conditions.stream().allMatch(c -> c.matches(info));
  }

  /** One condition, then AND or the end; a quoted value may hold spaces and the word "and". */
  private static final Pattern NEXT = Pattern.compile(
      "\\s*`?([A-Za-z_][A-Za-z0-9_]*)`?\\s*=\\s*(?:'([^'\"\\\\]*)'|\"([^'\"\\\\]*)\")\\s*(?:(?i:AND)(?=\\s)|$)");

  /**
   * Reads a query sent over the wire by any Temporal client (this project's listing, the Temporal
   * CLI, the Web UI). Anything beyond equalities joined by AND is refused with a message that says
   * what the embedded server answers.
   */
  public static VisibilityQuery parse(String text) {
    if (text == null || text.isBlank()) return new VisibilityQuery(List.of());
    List<Condition> conditions = new ArrayList<>();
    String query = text.strip();
    Matcher m = NEXT.matcher(query);
    int at = 0;
    while (at < query.length()) {
      if (!m.region(at, query.length()).lookingAt()) {
        throw new IllegalArgumentException("the embedded Temporal test server answers only equality conditions"
            + " joined by AND (e.g. RolloutState = 'WAITING_FOR_APPROVAL' AND RolloutTarget = 'orders/production');"
            + " cannot read: " + query.substring(at).strip() + ". Run a real Temporal server (docker compose) for"
            + " full queries.");
      }
      conditions.add(new Condition(m.group(1), m.group(2) != null ? m.group(2) : m.group(3)));
      at = m.end();
    }
    return new VisibilityQuery(conditions);
  }
}
