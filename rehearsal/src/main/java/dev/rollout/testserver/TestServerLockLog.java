package dev.rollout.testserver;

import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.testing.TestWorkflowEnvironment;
import java.lang.reflect.Field;
import java.util.LinkedList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a test server's time-lock log from growing with every workflow task: the worker's
 * embedded server, each rehearsal's time-skipping server and the floor benchmark's.
 *
 * <p>Why: Temporal's test server (1.38, {@code SelfAdvancingTimerImpl.lockEvents}) appends an entry
 * to a linked list for every time-skipping lock and unlock — two per workflow task, activity and
 * child workflow — and never drops the ones taken through a request context. Every update of any
 * workflow then removes its own entry by scanning that list from its head, while holding the
 * server-wide timer lock. The list is "for debugging purposes only" (the server's comment; it is
 * read only by its diagnostics dump), but its cost is O(everything the server ever did) per update,
 * serialised: starting 2,000 rollouts spent 21 % of the process's CPU in {@code LinkedList.remove}
 * under that lock, and starting 5,000 took 19 minutes. The lock count that real time and time
 * skipping depend on is a separate counter and is not touched.
 *
 * <p>A rehearsal pays the same within one rollout: a canary rehearsal spent 6.5 % of its CPU there.
 *
 * <p>How: the list is replaced, before the server serves anything, by one that keeps nothing. If a
 * later SDK renames the fields, nothing is replaced and a warning says so (the server still works,
 * only slower at thousands of rollouts); {@code TestServerLockLogTest} fails on such an upgrade.
 *
 * <p>It lives with the rehearsal because the rehearsal is the module that runs Temporal's test
 * server in-process for everyone (the worker's embedded server, the CLI, the benchmarks).
 */
public final class TestServerLockLog {
  private static final Logger log = LoggerFactory.getLogger(TestServerLockLog.class);

  private TestServerLockLog() {}

  /** Replaces the server's lock log with one that keeps nothing; true when it did. */
  public static boolean forget(TestServicesStarter services) {
    try {
      Object timer = field(TestServicesStarter.class, "selfAdvancingTimer").get(services);
      Field events = field(timer.getClass(), "lockEvents");
      if (!LinkedList.class.equals(events.getType())) {
        throw new NoSuchFieldException("lockEvents is a " + events.getType().getName() + ", not a LinkedList");
      }
      events.set(timer, new KeepsNothing<>());
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return couldNot(e);
    }
  }

  /**
   * The same for the in-process server of a {@link TestWorkflowEnvironment} (time-skipping or not),
   * before it runs anything; false, with a warning, for an environment on an external server.
   */
  public static boolean forget(TestWorkflowEnvironment env) {
    try {
      return forget(servicesOf(env));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return couldNot(e);
    }
  }

  /** The test server inside {@code env}: {@code TestWorkflowEnvironmentInternal}'s in-process server. */
  static TestServicesStarter servicesOf(TestWorkflowEnvironment env) throws ReflectiveOperationException {
    Object server = field(env.getClass(), "inProcessServer").get(env);
    if (server == null) throw new NoSuchFieldException("the environment has no in-process server");
    return (TestServicesStarter) field(server.getClass(), "testServicesStarter").get(server);
  }

  private static boolean couldNot(Exception e) {
    log.warn("Could not stop the Temporal test server's lock log from growing ({}): each workflow update"
        + " will cost more as rollouts are added (slow starts at thousands of rollouts)", e.toString());
    return false;
  }

  private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
    Field f = owner.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  /**
   * A list that accepts every entry and keeps none: a lock handle's removal of its own entry
   * succeeds (the server treats a failed removal as an unbalanced unlock), the dump is empty.
   */
  static final class KeepsNothing<E> extends LinkedList<E> {
    @Override
    public boolean add(E e) {
      return true;
    }

    @Override
    public boolean remove(Object o) {
      return true;
    }
  }
}
