package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A task queue whose slots run out is counted and flagged, once per episode. */
class TaskSlotAlarmTest {

  @Test
  void flagsAndCountsAQueueWithNoFreeSlotOncePerEpisode() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger available = new AtomicInteger(3);
    Gauge.builder(TaskSlotAlarm.SDK_GAUGE, available, AtomicInteger::get)
        .tag("task_queue", "rollouts").tag("worker_type", "ActivityWorker").register(registry);
    try (TaskSlotAlarm alarm = new TaskSlotAlarm(registry, Duration.ofHours(1))) {
      alarm.check();
      assertThat(registry.get(TaskSlotAlarm.FULL).tag("task_queue", "rollouts").gauge().value()).isZero();
      assertThat(registry.find(TaskSlotAlarm.EXHAUSTED).counter()).isNull();

      available.set(0);
      alarm.check();
      alarm.check();
      assertThat(registry.get(TaskSlotAlarm.FULL).tag("task_queue", "rollouts").gauge().value()).isEqualTo(1);
      assertThat(registry.get(TaskSlotAlarm.EXHAUSTED).tag("worker_type", "ActivityWorker").counter().count()).isEqualTo(1);

      available.set(5);
      alarm.check();
      available.set(0);
      alarm.check();
      assertThat(registry.get(TaskSlotAlarm.EXHAUSTED).counter().count()).isEqualTo(2);
    }
  }
}
