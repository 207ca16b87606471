package dev.rollout.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says so when a task queue has no free slot: work then waits in the queue unseen (the 200-slot
 * cliff of issue 13 showed as rollouts "running" a step that never started). Reads the SDK's
 * {@value #SDK_GAUGE} gauges (reported every 10 s) and, per task queue and worker type, logs a
 * warning when the slots run out and a line when they free again, counts the episodes in
 * {@value #EXHAUSTED} and shows {@value #FULL} = 1 while it lasts.
 */
public final class TaskSlotAlarm implements AutoCloseable {
  static final String SDK_GAUGE = "temporal_worker_task_slots_available";
  static final String FULL = "rollout.worker.slots.full";
  static final String EXHAUSTED = "rollout.worker.slots.exhausted";

  private static final Logger log = LoggerFactory.getLogger(TaskSlotAlarm.class);

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> full = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  public TaskSlotAlarm(MeterRegistry registry, Duration every) {
    this.registry = registry;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "task-slot-alarm");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Looks at every slot gauge once. */
  void check() {
    try {
      for (Gauge gauge : registry.find(SDK_GAUGE).gauges()) {
        String queue = gauge.getId().getTag("task_queue");
        String type = gauge.getId().getTag("worker_type");
        if (queue == null || type == null) continue;
        boolean none = gauge.value() <= 0;
        AtomicInteger flag = full.computeIfAbsent(queue + "|" + type, k -> {
          AtomicInteger f = new AtomicInteger();
          Gauge.builder(FULL, f, AtomicInteger::get).tag("task_queue", queue).tag("worker_type", type)
              .description("1 while every slot of this task queue's worker is taken").register(registry);
          return f;
        });
        if (none && flag.compareAndSet(0, 1)) {
          Counter.builder(EXHAUSTED).tag("task_queue", queue).tag("worker_type", type)
              .description("times every slot of this task queue's worker was taken").register(registry).increment();
          log.warn("Task queue {}: every {} slot is taken; new tasks wait in the queue until one frees"
              + " (capacity: rollout-worker.yaml, docs/scale.md)", queue, type);
        } else if (!none && flag.compareAndSet(1, 0)) {
          log.info("Task queue {}: {} slots free again ({} available)", queue, type, (long) gauge.value());
        }
      }
    } catch (RuntimeException e) {
      log.debug("slot check failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
