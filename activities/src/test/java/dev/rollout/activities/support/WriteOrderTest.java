package dev.rollout.activities.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An aborted rollout's traffic step must never land on top of the rollback's undo: the writes of
 * one run to one router apply in the order the workflow asked for them.
 */
class WriteOrderTest {

  final AtomicReference<Double> weight = new AtomicReference<>(0.0);

  /**
   * The step (asked first, 25 %) reaches the router only after the rollback's undo (asked later,
   * 0 %) applied: it is refused and the router stays at stable. Without the order the router ended
   * at 25 % under a rollout that says it rolled back.
   */
  @Test
  void aStepThatArrivesAfterItsUndoIsRefusedAndStableStays() throws Exception {
    WriteOrder order = new WriteOrder();
    long stepAsked = 1_000;
    long undoAsked = 2_000;

    order.write("run-1", "router 'web'", undoAsked, () -> weight.getAndSet(0.0));

    assertThatThrownBy(() -> order.write("run-1", "router 'web'", stepAsked, () -> weight.getAndSet(25.0)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo(WriteOrder.SUPERSEDED);
        })
        .hasMessageContaining("router 'web' was not changed");
    assertThat(weight.get()).isEqualTo(0.0);
  }

  /** A step already writing when the undo arrives finishes first; the undo then wins. */
  @Test
  void anUndoWaitsForTheStepWritingNowAndThenApplies() throws Exception {
    WriteOrder order = new WriteOrder();
    CountDownLatch stepWriting = new CountDownLatch(1);
    CountDownLatch letStepFinish = new CountDownLatch(1);
    CompletableFuture<Void> step = CompletableFuture.runAsync(() -> {
      try {
        order.write("run-1", "router 'web'", 1_000, () -> {
          stepWriting.countDown();
          assertThat(letStepFinish.await(10, TimeUnit.SECONDS)).isTrue();
          return weight.getAndSet(25.0);
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(stepWriting.await(10, TimeUnit.SECONDS)).as("the step is writing").isTrue();
    CompletableFuture<Void> undo = CompletableFuture.runAsync(() -> {
      try {
        order.write("run-1", "router 'web'", 2_000, () -> weight.getAndSet(0.0));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    letStepFinish.countDown();

    step.get(10, TimeUnit.SECONDS);
    undo.get(10, TimeUnit.SECONDS);
    assertThat(weight.get()).isEqualTo(0.0);
  }

  /** Other runs (the next rollout of the target) and other routers are not held back. */
  @Test
  void onlyTheSameRunAndRouterAreOrdered() throws Exception {
    WriteOrder order = new WriteOrder();
    order.write("run-1", "router 'web'", 2_000, () -> weight.getAndSet(0.0));

    order.write("run-2", "router 'web'", 1_500, () -> weight.getAndSet(10.0));
    assertThat(weight.get()).isEqualTo(10.0);
    order.write("run-1", "router 'api'", 1_000, () -> weight.getAndSet(5.0));
    assertThat(weight.get()).isEqualTo(5.0);
    // A retry of the write that applied (same moment asked) applies again: absolute, harmless.
    order.write("run-1", "router 'web'", 2_000, () -> weight.getAndSet(0.0));
    assertThat(weight.get()).isEqualTo(0.0);
  }
}
