package dev.rollout.worker;

import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the embedded test server hand out waiting tasks of one priority oldest workflow execution
 * first.
 *
 * <p>Why: Temporal's test server (1.38, {@code TaskQueue.backlog}) keeps each task queue's backlog
 * in a {@link PriorityQueue} ordered by priority alone. Nearly every task has the same priority,
 * and a binary heap of equal keys gives back the oldest task once and then, roughly, the newest:
 * under a steady inflow the first tasks wait until the inflow stops (one workflow task waited
 * 557 s while 2,000 rollouts rolled back). Plain first in, first out is not the answer either: a
 * rollback is several workflow tasks with an activity between each, so it serves one task of every
 * waiting rollout before the next of any: 1,000 rollouts breaching at once all finished together
 * at the end, and with more rollouts in progress than the worker's workflow cache holds, nearly
 * every task replayed its workflow (twice the CPU per rollback).
 *
 * <p>So ties are broken by the execution's seniority (when it first had a task here), then by
 * arrival: a rollout in progress keeps its turn from workflow task to activity and back, finishes,
 * and the next takes over; no task waits behind executions that came after it.
 *
 * <p>How: before the server serves anything, its (empty) maps from task queue to queue are
 * replaced by maps that, as each queue is created and stored, give it a backlog in that order,
 * keeping the server's own priority first. If a later SDK renames the fields, nothing is replaced
 * and a warning says so (tasks still run, in the server's order); {@code TestServerTaskOrderTest}
 * fails on such an upgrade.
 */
final class TestServerTaskOrder {
  private static final Logger log = LoggerFactory.getLogger(TestServerTaskOrder.class);
  private static final String TASK_QUEUE = "io.temporal.internal.testservice.TaskQueue";
  /** The test server's maps from task queue id to queue, one per kind of task. */
  private static final String[] QUEUE_MAPS = {"workflowTaskQueues", "activityTaskQueues", "nexusTaskQueues"};

  private TestServerTaskOrder() {}

  /** Installs oldest-execution-first backlogs on every task queue the server creates; true when it did. */
  static boolean oldestExecutionFirst(TestServicesStarter services) {
    try {
      Field backlog = field(Class.forName(TASK_QUEUE), "backlog");
      if (!PriorityQueue.class.equals(backlog.getType())) {
        throw new NoSuchFieldException("TaskQueue.backlog is a " + backlog.getType().getName() + ", not a PriorityQueue");
      }
      Method value = Class.forName(TASK_QUEUE + "$TaskQueueElement").getDeclaredMethod("getValue");
      value.setAccessible(true);
      Object store = field(TestServicesStarter.class, "workflowStore").get(services);
      Field[] maps = new Field[QUEUE_MAPS.length];
      for (int i = 0; i < maps.length; i++) {
        maps[i] = field(store.getClass(), QUEUE_MAPS[i]);
        if (!(maps[i].get(store) instanceof HashMap<?, ?> queues) || !queues.isEmpty()) {
          throw new NoSuchFieldException(QUEUE_MAPS[i] + " is not an empty HashMap");
        }
      }
      Seniority seniority = new Seniority(value);
      for (Field map : maps) map.set(store, new QueuesBySeniority<>(backlog, seniority));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Could not order the embedded Temporal server's task backlogs oldest execution first ({}):"
          + " with thousands of tasks waiting, some wait far longer than others (slow mass rollbacks)", e.toString());
      return false;
    }
  }

  private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
    Field f = owner.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  /** The server's map of task queues; each queue stored in it gets a backlog ordered {@link BySeniority}. */
  static final class QueuesBySeniority<K, V> extends HashMap<K, V> {
    private final transient Field backlog;
    private final transient Seniority seniority;

    QueuesBySeniority(Field backlog, Seniority seniority) {
      this.backlog = backlog;
      this.seniority = seniority;
    }

    @Override
    public V put(K id, V queue) {
      try {
        PriorityQueue<?> own = (PriorityQueue<?>) backlog.get(queue);
        // A queue is stored right after it is created, before any task is added to it.
        if (own.isEmpty() && own.comparator() != null) {
          backlog.set(queue, BySeniority.of(own.comparator(), seniority));
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("the test server's task queue backlog cannot be replaced", e);
      }
      return super.put(id, queue);
    }
  }

  /**
   * The rank of each waiting task's workflow execution: the order in which executions first had
   * a task here (a task of no execution ranks as it arrives). Shared by every queue, so a rollout
   * keeps its place from workflow task to activity and back. The oldest ranks are forgotten past
   * {@link #REMEMBERED} executions (such an execution ranks anew, as if it had just started).
   */
  static final class Seniority {
    static final int REMEMBERED = 100_000;
    private final Method value;
    private final Map<String, Long> firstSeen = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > REMEMBERED;
      }
    };
    private long seen;

    Seniority(Method value) {
      this.value = value;
    }

    /** The rank of a task the server wraps in {@code element}; lower goes first. */
    synchronized long of(Object element) {
      String runId = runId(element);
      if (runId.isEmpty()) return seen++;
      Long rank = firstSeen.get(runId);
      if (rank == null) {
        rank = seen++;
        firstSeen.put(runId, rank);
      }
      return rank;
    }

    private String runId(Object element) {
      Object task;
      try {
        task = value.invoke(element);
      } catch (ReflectiveOperationException e) {
        return "";
      }
      if (task instanceof PollWorkflowTaskQueueResponse.Builder workflowTask) {
        return workflowTask.getWorkflowExecution().getRunId();
      }
      if (task instanceof PollActivityTaskQueueResponse.Builder activityTask) {
        return activityTask.getWorkflowExecution().getRunId();
      }
      return "";
    }
  }

  /**
   * A priority queue that breaks ties by seniority, then arrival: each element's rank is kept
   * beside it (by identity: the server wraps every task in an element of its own) until it is
   * taken out.
   */
  static final class BySeniority<E> extends PriorityQueue<E> {
    private final Map<E, long[]> ranks;
    private final Seniority seniority;
    private long arrived;

    private BySeniority(Comparator<E> priority, Map<E, long[]> ranks, Seniority seniority) {
      super(priority
          .thenComparingLong((E e) -> ranks.get(e)[0])
          .thenComparingLong((E e) -> ranks.get(e)[1]));
      this.ranks = ranks;
      this.seniority = seniority;
    }

    @SuppressWarnings("unchecked")
    static <E> BySeniority<E> of(Comparator<? super E> priority, Seniority seniority) {
      return new BySeniority<>((Comparator<E>) priority, new IdentityHashMap<>(), seniority);
    }

    @Override
    public boolean offer(E e) {
      ranks.put(e, new long[] {seniority.of(e), arrived++});
      return super.offer(e);
    }

    @Override
    public E poll() {
      E head = super.poll();
      if (head != null) ranks.remove(head);
      return head;
    }

    @Override
    public boolean remove(Object o) {
      boolean removed = super.remove(o);
      if (removed) ranks.remove(o);
      return removed;
    }

    @Override
    public void clear() {
      super.clear();
      ranks.clear();
    }
  }
}
