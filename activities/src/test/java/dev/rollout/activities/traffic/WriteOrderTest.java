package dev.rollout.activities.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.traffic.proxy.HttpProxyRouter;
import dev.rollout.plan.Router;
import io.temporal.activity.ActivityInterface;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.util.List;
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

    order.write("run-1", "web", undoAsked, () -> weight.getAndSet(0.0));

    assertThatThrownBy(() -> order.write("run-1", "web", stepAsked, () -> weight.getAndSet(25.0)))
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
        order.write("run-1", "web", 1_000, () -> {
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
        order.write("run-1", "web", 2_000, () -> weight.getAndSet(0.0));
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
    order.write("run-1", "web", 2_000, () -> weight.getAndSet(0.0));

    order.write("run-2", "web", 1_500, () -> weight.getAndSet(10.0));
    assertThat(weight.get()).isEqualTo(10.0);
    order.write("run-1", "api", 1_000, () -> weight.getAndSet(5.0));
    assertThat(weight.get()).isEqualTo(5.0);
    // A retry of the write that applied (same moment asked) applies again: absolute, harmless.
    order.write("run-1", "web", 2_000, () -> weight.getAndSet(0.0));
    assertThat(weight.get()).isEqualTo(0.0);
  }

  @ActivityInterface
  public interface Shift {
    void shift(double percent);
  }

  /** Inside real activities, writes asked one after another all apply (no false refusal). */
  @Test
  void inActivitiesWritesAskedInTurnAllApply() {
    var admin = new TrafficActivitiesImplTest();
    try {
      admin.start();
      var traffic = new TrafficActivitiesImpl(new TrafficRouters(List.of(new HttpProxyRouter())));
      Router.HttpProxy spec = admin.spec();
      TestActivityEnvironment env = TestActivityEnvironment.newInstance();
      env.registerActivitiesImplementations((Shift) percent -> traffic.setWeight("r1", "demo", spec, percent));
      Shift shift = env.newActivityStub(Shift.class);

      shift.shift(10);
      shift.shift(25);
      shift.shift(0);

      assertThat(traffic.currentWeight("r1", "demo", spec)).isEqualTo(0);
      env.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      admin.stop();
    }
  }
}
