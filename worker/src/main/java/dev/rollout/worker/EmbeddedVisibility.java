package dev.rollout.worker;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.temporal.api.filter.v1.WorkflowExecutionFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceImplBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Temporal's Java test server answers {@code ListWorkflowExecutions} and
 * {@code CountWorkflowExecutions} with UNIMPLEMENTED, so on the embedded default nothing could list
 * rollouts by search attribute. This wraps its workflow service: those two calls are answered
 * from the calls it does implement — every open and closed execution (the legacy listings),
 * described (which fills in search attributes, memo and close time), kept when it meets the
 * {@link VisibilityQuery} read off the request. Every other call goes to the test server untouched.
 * Any Temporal client (this project's API, the Temporal CLI) can then list by search attribute.
 *
 * <p>Cost: one description per execution per listing — fine for the embedded server's scale (it
 * keeps everything in memory and is meant for one machine), not a design for thousands.
 */
final class EmbeddedVisibility implements BindableService {
  /** Page size when the request sets none (the real server's default is 1000 too). */
  static final int DEFAULT_PAGE = 1000;
  /** The test server answers in-process; a call that takes longer than this is stuck. */
  private static final long CALL_SECONDS = 10;

  private final WorkflowServiceImplBase testServer;

  EmbeddedVisibility(WorkflowServiceImplBase testServer) {
    this.testServer = testServer;
  }

  @Override
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition original = testServer.bindService();
    ServerServiceDefinition.Builder wrapped = ServerServiceDefinition.builder(original.getServiceDescriptor());
    String list = WorkflowServiceGrpc.getListWorkflowExecutionsMethod().getFullMethodName();
    String count = WorkflowServiceGrpc.getCountWorkflowExecutionsMethod().getFullMethodName();
    for (ServerMethodDefinition<?, ?> method : original.getMethods()) {
      String name = method.getMethodDescriptor().getFullMethodName();
      if (!name.equals(list) && !name.equals(count)) wrapped.addMethod(method);
    }
    wrapped.addMethod(WorkflowServiceGrpc.getListWorkflowExecutionsMethod(), ServerCalls.asyncUnaryCall(this::list));
    wrapped.addMethod(WorkflowServiceGrpc.getCountWorkflowExecutionsMethod(), ServerCalls.asyncUnaryCall(this::count));
    return wrapped.build();
  }

  void list(ListWorkflowExecutionsRequest request, StreamObserver<ListWorkflowExecutionsResponse> answer) {
    answer(answer, () -> {
      int page = request.getPageSize() > 0 ? request.getPageSize() : DEFAULT_PAGE;
      return ListWorkflowExecutionsResponse.newBuilder()
          .addAllExecutions(matching(request.getNamespace(), request.getQuery()).stream().limit(page).toList())
          .build();
    });
  }

  void count(CountWorkflowExecutionsRequest request, StreamObserver<CountWorkflowExecutionsResponse> answer) {
    answer(answer, () -> CountWorkflowExecutionsResponse.newBuilder()
        .setCount(matching(request.getNamespace(), request.getQuery()).size())
        .build());
  }

  /** Every execution meeting the query, described, newest first. */
  List<WorkflowExecutionInfo> matching(String namespace, String queryText) {
    VisibilityQuery query = VisibilityQuery.parse(queryText);
    Optional<String> byId = query.conditions().stream()
        .filter(c -> c.attribute().equals(VisibilityQuery.WORKFLOW_ID))
        .map(VisibilityQuery.Condition::value)
        .findFirst();
    List<WorkflowExecutionInfo> found = new ArrayList<>();
    for (WorkflowExecutionInfo listed : listed(namespace, byId)) {
      describe(namespace, listed).filter(query::matches).ifPresent(found::add);
    }
    found.sort(Comparator.comparing((WorkflowExecutionInfo i) -> i.getStartTime().getSeconds())
        .thenComparing(i -> i.getStartTime().getNanos())
        .reversed());
    return found;
  }

  private List<WorkflowExecutionInfo> listed(String namespace, Optional<String> workflowId) {
    var open = ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace(namespace);
    var closed = ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace(namespace);
    workflowId.ifPresent(id -> {
      open.setExecutionFilter(WorkflowExecutionFilter.newBuilder().setWorkflowId(id));
      closed.setExecutionFilter(WorkflowExecutionFilter.newBuilder().setWorkflowId(id));
    });
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    all.addAll(this.<ListOpenWorkflowExecutionsResponse>call(
        o -> testServer.listOpenWorkflowExecutions(open.build(), o)).getExecutionsList());
    all.addAll(this.<ListClosedWorkflowExecutionsResponse>call(
        o -> testServer.listClosedWorkflowExecutions(closed.build(), o)).getExecutionsList());
    return all;
  }

  /** The listing's entry with what only a description carries; empty if it vanished meanwhile. */
  private Optional<WorkflowExecutionInfo> describe(String namespace, WorkflowExecutionInfo listed) {
    var request = DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setExecution(listed.getExecution())
        .build();
    try {
      DescribeWorkflowExecutionResponse described =
          call(o -> testServer.describeWorkflowExecution(request, o));
      return Optional.of(described.getWorkflowExecutionInfo());
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) return Optional.empty();
      throw e;
    }
  }

  /** Calls one of the test server's own handlers in-process and waits (bounded) for its answer. */
  private <T> T call(java.util.function.Consumer<StreamObserver<T>> handler) {
    CompletableFuture<T> result = new CompletableFuture<>();
    handler.accept(new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.complete(null);
      }
    });
    try {
      return result.get(CALL_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw Status.INTERNAL.withCause(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("the embedded test server did not answer a listing within " + CALL_SECONDS + " s")
          .asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while listing").asRuntimeException();
    }
  }

  private static <T> void answer(StreamObserver<T> answer, java.util.function.Supplier<T> work) {
    try {
      answer.onNext(work.get());
      answer.onCompleted();
    } catch (IllegalArgumentException unreadable) {
      answer.onError(Status.INVALID_ARGUMENT.withDescription(unreadable.getMessage()).asRuntimeException());
    } catch (io.grpc.StatusRuntimeException failed) {
      answer.onError(failed);
    }
  }
}
