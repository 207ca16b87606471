package dev.rollout.payload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DeployActivities;
import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.HealthActivities;
import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.NotificationActivities;
import dev.rollout.activities.RunbookActivities;
import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutRecoveryWorkflow;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.workflow.StoredHistories;
import dev.rollout.workflow.TargetLockWorkflow;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Payloads written the rollouts' way ({@link RolloutPayloads}) and Temporal's default way read back
 * the same with either converter: an API or worker not yet upgraded reads what an upgraded one
 * wrote, and the other way round. Checked on every seed plan and on every typed payload of every
 * stored history (start input, activity arguments and results, child workflow inputs, Updates and
 * signals): the value read is written out again in Temporal's standard JSON and compared.
 */
class RolloutPayloadsTest {
  private static final DataConverter OLD = DefaultDataConverter.STANDARD_INSTANCE;
  private static final DataConverter NEW = RolloutPayloads.CONVERTER;
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Path> seedPlans() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("..", "plans"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  static List<String> histories() throws Exception {
    try (Stream<Path> files = Files.list(StoredHistories.DIR)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("seedPlans")
  void aRolloutRequestReadsTheSameWhicheverSideWroteIt(Path file) {
    Plan plan = Plans.load(file);
    RolloutRequest request = new RolloutRequest("rollout-x.production", plan, "alice", file.toString());

    Payload written = NEW.toPayload(request).orElseThrow();
    Payload writtenBefore = OLD.toPayload(request).orElseThrow();

    assertThat(OLD.fromPayload(written, RolloutRequest.class, RolloutRequest.class)).as("old reader, new writer").isEqualTo(request);
    assertThat(NEW.fromPayload(writtenBefore, RolloutRequest.class, RolloutRequest.class)).as("new reader, old writer").isEqualTo(request);
    assertThat(NEW.fromPayload(written, RolloutRequest.class, RolloutRequest.class)).isEqualTo(request);
    assertThat(written.getData().size()).as("nulls left out").isLessThan(writtenBefore.getData().size() * 9 / 10);
    assertThat(written.getData().toStringUtf8()).doesNotContain(":null");
  }

  @Test
  void nullsInsideMapsAndListsAreKept() {
    Map<String, String> withNull = new HashMap<>();
    withNull.put("flag", null);
    List<String> list = java.util.Arrays.asList("a", null);

    assertThat(NEW.toPayload(withNull).orElseThrow().getData().toStringUtf8()).isEqualTo("{\"flag\":null}");
    assertThat(NEW.toPayload(list).orElseThrow().getData().toStringUtf8()).isEqualTo("[\"a\",null]");
  }

  @ParameterizedTest
  @MethodSource("histories")
  void everyPayloadOfAStoredHistoryReadsTheSameWrittenEitherWay(String file) throws Exception {
    WorkflowExecutionHistory history =
        WorkflowExecutionHistory.fromJson(Files.readString(StoredHistories.DIR.resolve(file)));
    Map<Long, Method> scheduled = new HashMap<>();
    int checked = 0;
    for (HistoryEvent e : history.getEvents()) {
      switch (e.getEventType()) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
          var a = e.getWorkflowExecutionStartedEventAttributes();
          checked += checkArguments(file, a.getInput(), workflowMethod(a.getWorkflowType().getName()));
        }
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          var a = e.getActivityTaskScheduledEventAttributes();
          Method m = ACTIVITIES.get(a.getActivityType().getName());
          assertThat(m).as(file + ": activity " + a.getActivityType().getName()).isNotNull();
          scheduled.put(e.getEventId(), m);
          checked += checkArguments(file, a.getInput(), m);
        }
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          var a = e.getActivityTaskCompletedEventAttributes();
          Method m = scheduled.get(a.getScheduledEventId());
          if (a.hasResult() && m.getReturnType() != void.class) {
            checked += check(file, a.getResult().getPayloads(0), m.getReturnType(), m.getGenericReturnType());
          }
        }
        case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED -> {
          var a = e.getStartChildWorkflowExecutionInitiatedEventAttributes();
          checked += checkArguments(file, a.getInput(), workflowMethod(a.getWorkflowType().getName()));
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
          var input = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput();
          checked += checkArguments(file, input.getArgs(), HANDLERS.get(input.getName()));
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
          var a = e.getWorkflowExecutionSignaledEventAttributes();
          checked += checkArguments(file, a.getInput(), HANDLERS.get(a.getSignalName()));
        }
        default -> {}
      }
    }
    assertThat(checked).as(file + ": typed payloads checked").isPositive();
  }

  private static int checkArguments(String file, Payloads payloads, Method method) throws Exception {
    assertThat(method).as(file + ": a method for these payloads").isNotNull();
    Class<?>[] types = method.getParameterTypes();
    Type[] generic = method.getGenericParameterTypes();
    int n = 0;
    for (int i = 0; i < Math.min(types.length, payloads.getPayloadsCount()); i++) {
      n += check(file, payloads.getPayloads(i), types[i], generic[i]);
    }
    return n;
  }

  /** Reads a stored payload, writes it both ways, reads each with both converters: all alike. */
  private static <T> int check(String file, Payload stored, Class<T> type, Type generic) throws Exception {
    T value = OLD.fromPayload(stored, type, generic);
    JsonNode expected = standardJson(value);
    for (DataConverter writer : List.of(OLD, NEW)) {
      Payload written = writer.toPayload(value).orElseThrow();
      for (DataConverter reader : List.of(OLD, NEW)) {
        assertThat(standardJson(reader.fromPayload(written, type, generic)))
            .as(file + ": " + type.getSimpleName() + " written by " + name(writer) + ", read by " + name(reader))
            .isEqualTo(expected);
      }
    }
    return 1;
  }

  private static JsonNode standardJson(Object value) throws Exception {
    return JSON.readTree(OLD.toPayload(value).orElseThrow().getData().toByteArray());
  }

  private static String name(DataConverter c) {
    return c == NEW ? "the rollouts' converter" : "Temporal's default";
  }

  private static final Map<String, Method> ACTIVITIES = new HashMap<>();
  private static final Map<String, Method> HANDLERS = new HashMap<>();
  private static final Map<String, Method> WORKFLOWS = new HashMap<>();

  static {
    for (Class<?> c : List.of(DatabaseActivities.class, DeployActivities.class, FlagActivities.class, HealthActivities.class,
        MetricActivities.class, NotificationActivities.class, RunbookActivities.class, TrafficActivities.class)) {
      POJOActivityInterfaceMetadata.newInstance(c).getMethodsMetadata()
          .forEach(m -> ACTIVITIES.put(m.getActivityTypeName(), m.getMethod()));
    }
    for (Class<?> c : List.of(RolloutWorkflow.class, RolloutRecoveryWorkflow.class, TargetLockWorkflow.class)) {
      POJOWorkflowInterfaceMetadata meta = POJOWorkflowInterfaceMetadata.newInstance(c);
      meta.getWorkflowMethod().ifPresent(m -> WORKFLOWS.put(m.getName(), m.getWorkflowMethod()));
      meta.getMethodsMetadata().forEach(m -> HANDLERS.putIfAbsent(m.getName(), m.getWorkflowMethod()));
    }
  }

  private static Method workflowMethod(String type) {
    return WORKFLOWS.get(type);
  }
}
