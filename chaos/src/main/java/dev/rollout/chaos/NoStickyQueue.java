package dev.rollout.chaos;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;

/**
 * Leaves the sticky queue out of every completed workflow task, so the server hands a rollout's
 * next task to any worker on the shared queue. Needed on Temporal's test server only: it never
 * moves a task off the sticky queue of a worker that died (a real server does after the sticky
 * schedule-to-start timeout), so a rollout cached by a killed worker would wait forever.
 */
final class NoStickyQueue implements ClientInterceptor {

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      @SuppressWarnings("unchecked")
      public void sendMessage(Q message) {
        if (message instanceof RespondWorkflowTaskCompletedRequest completed && completed.hasStickyAttributes()) {
          message = (Q) completed.toBuilder().clearStickyAttributes().build();
        }
        super.sendMessage(message);
      }
    };
  }
}
