package dev.rollout.worker;

import dev.rollout.workflow.RolloutSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refuses to start a worker against a Temporal server that lacks the rollout's search attributes.
 * The workflow upserts them at its first step; on a server where one is missing that upsert fails
 * the workflow task again and again, and every rollout stalls without a word to its people. Better
 * that the worker does not come up and says which attributes to register.
 *
 * <p>The embedded server registers them itself at start (and does not answer this call), so it is
 * not checked. A server that does not answer (UNIMPLEMENTED, permission denied) is logged, not
 * refused: the check is a guard, not a gate on clusters whose operators restrict the operator API.
 */
@Component
public class SearchAttributesCheck implements InitializingBean {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributesCheck.class);
  private static final long DEADLINE_SECONDS = 10;

  private final ObjectProvider<WorkflowServiceStubs> stubs;
  private final ObjectProvider<EmbeddedTemporalServer.Target> embedded;
  private final String namespace;

  SearchAttributesCheck(
      ObjectProvider<WorkflowServiceStubs> stubs,
      ObjectProvider<EmbeddedTemporalServer.Target> embedded,
      @Value("${spring.temporal.namespace:default}") String namespace) {
    this.stubs = stubs;
    this.embedded = embedded;
    this.namespace = namespace;
  }

  @Override
  public void afterPropertiesSet() {
    WorkflowServiceStubs service = stubs.getIfAvailable();
    if (service == null || embedded.getIfAvailable() != null) return;
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setChannel(service.getRawChannel()).validateAndBuildWithDefaults());
    try {
      verify(operator, namespace);
    } finally {
      operator.shutdown();
    }
  }

  /**
   * Throws if any rollout search attribute is missing or registered with another type.
   *
   * @throws IllegalStateException naming each attribute and the command that registers it
   */
  static void verify(OperatorServiceStubs operator, String namespace) {
    ListSearchAttributesResponse registered;
    try {
      registered = operator.blockingStub()
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.DEADLINE_EXCEEDED) {
        throw new IllegalStateException("the Temporal server did not list its search attributes within "
            + DEADLINE_SECONDS + " s (namespace " + namespace + "); is it reachable?", e);
      }
      log.warn("Could not check the rollout search attributes on namespace {} ({}): if any is missing,"
          + " every rollout stalls at its first step. Registered names: {}", namespace, code, names());
      return;
    }
    List<String> problems = new ArrayList<>();
    for (SearchAttributeKey<?> key : RolloutSearchAttributes.ALL) {
      IndexedValueType type = registered.getCustomAttributesMap().get(key.getName());
      if (type == null) {
        problems.add(key.getName() + " (" + typeName(key.getValueType()) + ") is not registered");
      } else if (type != key.getValueType()) {
        problems.add(key.getName() + " is registered as " + typeName(type) + ", not " + typeName(key.getValueType()));
      }
    }
    if (problems.isEmpty()) return;
    StringBuilder message = new StringBuilder("the Temporal namespace ")
        .append(namespace)
        .append(" lacks the rollout search attributes (every rollout would stall at its first step): ")
        .append(String.join("; ", problems))
        .append(". Register them, e.g.:");
    for (SearchAttributeKey<?> key : RolloutSearchAttributes.ALL) {
      if (!registered.getCustomAttributesMap().containsKey(key.getName())) {
        message.append("\n  temporal operator search-attribute create --namespace ").append(namespace)
            .append(" --name ").append(key.getName()).append(" --type ").append(typeName(key.getValueType()));
      }
    }
    throw new IllegalStateException(message.toString());
  }

  private static List<String> names() {
    return RolloutSearchAttributes.ALL.stream().map(SearchAttributeKey::getName).toList();
  }

  /** The name Temporal's CLI takes ({@code INDEXED_VALUE_TYPE_KEYWORD_LIST} → KeywordList). */
  private static String typeName(IndexedValueType type) {
    StringBuilder name = new StringBuilder();
    for (String word : type.name().replace("INDEXED_VALUE_TYPE_", "").split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return name.toString();
  }
}
