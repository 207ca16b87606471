package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.workflow.RolloutSearchAttributes;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker pointed at a real Temporal namespace without the rollout search attributes must not come
 * up (every rollout would stall at its first upsert). The server side is a gRPC operator service
 * answering ListSearchAttributes as Temporal does; the test server does not implement that call.
 */
class SearchAttributesCheckTest {
  private Server server;
  private OperatorServiceStubs operator;

  @AfterEach
  void stop() {
    if (operator != null) operator.shutdownNow();
    if (server != null) server.shutdownNow();
  }

  @Test
  void aNamespaceWithEveryAttributePasses() throws Exception {
    connect(answer(registered -> {}));
    assertThatCode(() -> SearchAttributesCheck.verify(operator, "rollouts")).doesNotThrowAnyException();
  }

  @Test
  void aMissingAttributeStopsTheWorkerAndSaysHowToRegisterIt() throws Exception {
    connect(answer(registered -> registered.remove("RolloutWaitingFor")));
    assertThatThrownBy(() -> SearchAttributesCheck.verify(operator, "rollouts"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("namespace rollouts")
        .hasMessageContaining("RolloutWaitingFor (KeywordList) is not registered")
        .hasMessageContaining(
            "temporal operator search-attribute create --namespace rollouts --name RolloutWaitingFor --type KeywordList")
        .hasMessageNotContaining("--name RolloutPlan");
  }

  @Test
  void anAttributeOfTheWrongTypeStopsTheWorker() throws Exception {
    connect(answer(registered -> registered.put("RolloutTarget", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)));
    assertThatThrownBy(() -> SearchAttributesCheck.verify(operator, "rollouts"))
        .hasMessageContaining("RolloutTarget is registered as Keyword, not KeywordList");
  }

  @Test
  void aServerThatDoesNotAnswerTheCallIsLoggedNotRefused() throws Exception {
    connect(new OperatorServiceGrpc.OperatorServiceImplBase() {
      @Override
      public void listSearchAttributes(ListSearchAttributesRequest request,
          StreamObserver<ListSearchAttributesResponse> response) {
        response.onError(Status.PERMISSION_DENIED.withDescription("operator API restricted").asRuntimeException());
      }
    });
    assertThatCode(() -> SearchAttributesCheck.verify(operator, "rollouts")).doesNotThrowAnyException();
  }

  private static OperatorServiceGrpc.OperatorServiceImplBase answer(Consumer<Map<String, IndexedValueType>> change) {
    return new OperatorServiceGrpc.OperatorServiceImplBase() {
      @Override
      public void listSearchAttributes(ListSearchAttributesRequest request,
          StreamObserver<ListSearchAttributesResponse> response) {
        Map<String, IndexedValueType> registered = new HashMap<>();
        RolloutSearchAttributes.ALL.forEach(key -> registered.put(key.getName(), key.getValueType()));
        registered.put("CustomKeywordField", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        change.accept(registered);
        response.onNext(ListSearchAttributesResponse.newBuilder().putAllCustomAttributes(registered).build());
        response.onCompleted();
      }
    };
  }

  private void connect(OperatorServiceGrpc.OperatorServiceImplBase service) throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
    operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:" + server.getPort())
        .validateAndBuildWithDefaults());
  }
}
