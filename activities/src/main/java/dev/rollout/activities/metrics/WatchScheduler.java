package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.GateChecker.ReadKey;
import dev.rollout.activities.metrics.GateChecker.Reading;
import dev.rollout.activities.metrics.TriggerWatcher.Need;
import dev.rollout.activities.metrics.TriggerWatcher.WatchProgress;
import dev.rollout.activities.support.DaemonThreads;
import dev.rollout.plan.MetricSource;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityNotExistsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every trigger watch of the worker on a few threads, however many rollouts bake: a watch
 * holds no activity slot and no thread between checks (the watch activity registers here and
 * returns without completing). One timer thread keeps time; a small pool reads metrics; another
 * sends heartbeats and completions.
 *
 * <p>Watches that read the same thing (same source, same bound query, same window) at the same
 * interval share one <em>feed</em>: the metric is read once per interval and every watch judges
 * that reading against its own threshold. The feeds of one source at one interval are read
 * together, at one tick, from one visit to the source: a scrape endpoint serving thousands of
 * services is fetched once per interval for all of them, and each feed's query is then an index
 * lookup, so a check costs the same at any number of rollouts. A watch that joins a feed judges its
 * latest reading at once; one that starts a feed on a source already read is read at once from
 * that source's latest visit (at most one interval old), as a watch of its own would check at its
 * start.
 *
 * <p>A watch ends when a trigger fires or its window ends (then it is completed), when its
 * activity is cancelled (then the cancellation is reported) or no longer exists (then it is
 * dropped). Nothing here survives the process: after a restart the server times the activity out
 * on its heartbeat and retries it, and the retry registers again from its last heartbeat.
 */
public final class WatchScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchScheduler.class);
  /** Heartbeat this often when the activity sets no heartbeat timeout: cancellation arrives with it. */
  static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);

  /** Where a watch's answers go: the activity it runs for. */
  public interface Reply {
    /**
     * @throws ActivityCanceledException when the activity was asked to cancel
     * @throws ActivityNotExistsException when it is over (timed out, completed, workflow closed)
     */
    void heartbeat(WatchProgress progress) throws ActivityCompletionException;

    void complete(WatchResult result) throws ActivityCompletionException;

    void reportCancellation(WatchProgress progress) throws ActivityCompletionException;
  }

  /** Figures for the benchmark and the worker's metrics. */
  /**
   * @param checks trigger checks made (a reading judged for one watch)
   * @param reads metric reads made (one per feed and interval, shared by the feed's watches)
   * @param completionRetries completions sent again because the server did not take them
   */
  public record Stats(
      int watches, int feeds, long checks, long reads, long heartbeats, long completed, long cancelled, long completionRetries) {}

  /** How many feeds one reader task reads in a row: a tick of thousands is spread over the readers. */
  static final int FEEDS_PER_TASK = 500;

  /** A watch's result is given up to this many times, pausing 0.5 s, 1 s, 2 s… (at most 5 s) between. */
  static final int COMPLETION_ATTEMPTS = 8;
  private static final Duration COMPLETION_PAUSE = Duration.ofMillis(500);
  private static final Duration COMPLETION_PAUSE_MAX = Duration.ofSeconds(5);

  private record FeedKey(ReadKey read, Duration interval) {
    SourceKey source() {
      return new SourceKey(read.source(), interval);
    }
  }

  /** The feeds read together: one source, one interval. */
  private record SourceKey(MetricSource source, Duration interval) {}

  /** What one read returned: a reading or the error, at a moment. */
  private record Outcome(Reading reading, MetricQueryException error, Instant at) {}

  private record Subscriber(Watch watch, int trigger) {}

  private final GateChecker checker;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final ExecutorService readers;
  private final ExecutorService repliers;
  /**
   * Completions on threads of their own: queued behind thousands of heartbeats (one per watch
   * while the server answers slowly), a fired trigger's rollback waited minutes at N = 5,000.
   */
  private final ExecutorService completers;
  private final Map<SourceKey, SourceFeeds> sources = new ConcurrentHashMap<>();
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final AtomicLong checks = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong heartbeats = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong completionRetries = new AtomicLong();

  /**
   * @param readThreads how many metric reads may run at once (each may wait on a slow source)
   * @param replyThreads how many heartbeats and completions may be sent at once
   */
  public WatchScheduler(GateChecker checker, Clock clock, int readThreads, int replyThreads) {
    this.checker = checker;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("watch-timer"));
    this.readers = Executors.newFixedThreadPool(readThreads, DaemonThreads.named("watch-read"));
    this.repliers = Executors.newFixedThreadPool(replyThreads, DaemonThreads.named("watch-reply"));
    this.completers = Executors.newFixedThreadPool(replyThreads, DaemonThreads.named("watch-complete"));
  }

  /**
   * Starts watching. A watch registered again under the same {@code id} (a retried attempt of the
   * same activity) replaces the earlier one, which is dropped without an answer.
   *
   * @param id the activity's identity, e.g. workflow id and activity id
   * @param heartbeatEvery how often to heartbeat (keep it well inside the heartbeat timeout)
   */
  public void register(String id, TriggerWatcher watcher, Reply reply, Duration heartbeatEvery) {
    Watch watch = new Watch(id, watcher, reply);
    Watch earlier = watches.put(id, watch);
    if (earlier != null) stop(earlier);
    Duration left = Duration.between(clock.instant(), watcher.deadline());
    if (left.isNegative() || left.isZero()) {
      finish(watch);
      return;
    }
    watch.deadline = timer.schedule(() -> finish(watch), left.toMillis(), TimeUnit.MILLISECONDS);
    long every = Math.max(heartbeatEvery.toMillis(), 10);
    watch.heartbeat = timer.scheduleAtFixedRate(() -> heartbeat(watch), 0, every, TimeUnit.MILLISECONDS);
    List<Need> needs = watcher.needs();
    for (int i = 0; i < needs.size(); i++) {
      Need need = needs.get(i);
      if (need.key() == null) {
        int trigger = i;
        readers.execute(() -> deliver(new Subscriber(watch, trigger), new Outcome(null, need.unreadable(), clock.instant())));
      } else {
        subscribe(new FeedKey(need.key(), need.interval()), new Subscriber(watch, i));
      }
    }
  }

  public Stats stats() {
    int feeds = sources.values().stream().mapToInt(s -> s.feeds.size()).sum();
    return new Stats(watches.size(), feeds, checks.get(), reads.get(), heartbeats.get(), completed.get(), cancelled.get(),
        completionRetries.get());
  }

  @Override
  public void close() {
    timer.shutdownNow();
    readers.shutdownNow();
    repliers.shutdownNow();
    completers.shutdownNow();
  }

  private void subscribe(FeedKey key, Subscriber subscriber) {
    Outcome[] latest = new Outcome[1];
    SourceFeeds[] readNow = new SourceFeeds[1];
    sources.compute(key.source(), (k, group) -> {
      if (group == null) {
        group = new SourceFeeds(k);
        // its first tick, now, reads the new feed
        group.ticks = timer.scheduleAtFixedRate(group::tick, 0, Math.max(k.interval().toMillis(), 1), TimeUnit.MILLISECONDS);
      }
      Feed feed = group.feeds.get(key.read());
      if (feed == null) {
        feed = new Feed(key.read());
        group.feeds.put(key.read(), feed);
        if (group.ticked) readNow[0] = group;
      } else {
        latest[0] = feed.latest;
      }
      feed.subscribers.add(subscriber);
      subscriber.watch.feeds.add(key);
      return group;
    });
    if (latest[0] != null) readers.execute(() -> deliver(subscriber, latest[0]));
    if (readNow[0] != null) {
      // A feed new to a source already read: from the source's latest visit, not a visit of its own.
      Instant since = clock.instant().minus(key.interval());
      readers.execute(() -> read(readNow[0], key.read(), since));
    }
    if (subscriber.watch.done.get()) unsubscribe(subscriber.watch); // it ended while joining
  }

  private void unsubscribe(Watch watch) {
    for (FeedKey key : watch.feeds) {
      sources.computeIfPresent(key.source(), (k, group) -> {
        Feed feed = group.feeds.get(key.read());
        if (feed != null) {
          feed.subscribers.removeIf(s -> s.watch == watch);
          if (feed.subscribers.isEmpty()) group.feeds.remove(key.read());
        }
        if (!group.feeds.isEmpty()) return group;
        group.ticks.cancel(false);
        return null;
      });
    }
  }

  /** Reads one feed from a visit to its source at or after {@code since}, and gives the reading to its watches. */
  private void read(SourceFeeds group, ReadKey key, Instant since) {
    Feed feed = group.feeds.get(key);
    if (feed == null) return; // nobody watches it any more
    Outcome outcome;
    try {
      outcome = new Outcome(checker.read(key, since), null, clock.instant());
    } catch (MetricQueryException e) {
      outcome = new Outcome(null, e, clock.instant());
    } catch (RuntimeException e) {
      outcome = new Outcome(null, MetricQueryException.unavailable("reading failed: " + e, e), clock.instant());
    }
    reads.incrementAndGet();
    feed.latest = outcome;
    for (Subscriber s : new ArrayList<>(feed.subscribers)) deliver(s, outcome);
  }

  private void deliver(Subscriber s, Outcome outcome) {
    if (s.watch.done.get()) return;
    checks.incrementAndGet();
    GateResult fired = s.watch.watcher.seen(s.trigger, outcome.reading(), outcome.error(), outcome.at());
    if (fired != null) finish(s.watch);
  }

  /** Completes a watch with its result (fired or not), once. */
  private void finish(Watch watch) {
    if (!stop(watch)) return;
    complete(watch, watch.watcher.result(), 1);
  }

  /**
   * Gives a watch's result to its activity. A completion the server did not take (overloaded,
   * unreachable for a moment) is sent again after a pause: a fired trigger given up on would be
   * seen again only after the activity's heartbeat timeout and the retry's first read. Once the
   * activity no longer exists (timed out and retried, workflow closed) its retry watches again.
   */
  private void complete(Watch watch, WatchResult result, int attempt) {
    completers.execute(() -> {
      try {
        watch.reply.complete(result);
        completed.incrementAndGet();
      } catch (ActivityNotExistsException | ActivityCanceledException e) {
        log.debug("watch {} ended before its result could be given: {}", watch.id, e.toString());
      } catch (RuntimeException e) {
        if (attempt >= COMPLETION_ATTEMPTS) {
          log.warn("could not complete watch {} after {} attempts ({}); its retry will watch again", watch.id,
              attempt, rootCause(e));
          return;
        }
        long pause = Math.min(COMPLETION_PAUSE_MAX.toMillis(), COMPLETION_PAUSE.toMillis() << (attempt - 1));
        log.warn("could not complete watch {} ({}); attempt {} in {} ms", watch.id, rootCause(e), attempt + 1, pause);
        completionRetries.incrementAndGet();
        try {
          timer.schedule(() -> complete(watch, result, attempt + 1), pause, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
          log.debug("watch {}: not completed, the scheduler is closing", watch.id);
        }
      }
    });
  }

  /** What the server said, not only the client's wrapper ("ActivityId=null"). */
  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
  }

  private void heartbeat(Watch watch) {
    if (watch.done.get() || !watch.heartbeating.compareAndSet(false, true)) return;
    repliers.execute(() -> {
      try {
        if (watch.done.get()) return;
        watch.reply.heartbeat(watch.watcher.progress());
        heartbeats.incrementAndGet();
      } catch (ActivityCanceledException e) {
        if (stop(watch)) {
          cancelled.incrementAndGet();
          try {
            watch.reply.reportCancellation(watch.watcher.progress());
          } catch (RuntimeException ignored) {
            log.debug("watch {}: cancellation not reported: {}", watch.id, ignored.toString());
          }
        }
      } catch (ActivityNotExistsException e) {
        log.debug("watch {} no longer exists: {}", watch.id, e.toString());
        stop(watch);
      } catch (RuntimeException e) {
        log.warn("heartbeat of watch {} failed ({}); trying again at the next one", watch.id, rootCause(e));
      } finally {
        watch.heartbeating.set(false);
      }
    });
  }

  /** Stops a watch's timers and reads; true for the call that stopped it. */
  private boolean stop(Watch watch) {
    if (!watch.done.compareAndSet(false, true)) return false;
    watches.remove(watch.id, watch);
    if (watch.deadline != null) watch.deadline.cancel(false);
    if (watch.heartbeat != null) watch.heartbeat.cancel(false);
    unsubscribe(watch);
    return true;
  }

  private static final class Watch {
    final String id;
    final TriggerWatcher watcher;
    final Reply reply;
    final AtomicBoolean done = new AtomicBoolean();
    final AtomicBoolean heartbeating = new AtomicBoolean();
    final Set<FeedKey> feeds = ConcurrentHashMap.newKeySet();
    volatile ScheduledFuture<?> deadline;
    volatile ScheduledFuture<?> heartbeat;

    Watch(String id, TriggerWatcher watcher, Reply reply) {
      this.id = id;
      this.watcher = watcher;
      this.reply = reply;
    }
  }

  /** One metric read at one interval for every watch that needs it. */
  private static final class Feed {
    final ReadKey key;
    final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    volatile Outcome latest;

    Feed(ReadKey key) {
      this.key = key;
    }
  }

  /** The feeds of one source at one interval, read at one tick from one visit to the source. */
  private final class SourceFeeds {
    final SourceKey key;
    final Map<ReadKey, Feed> feeds = new ConcurrentHashMap<>();
    final AtomicInteger reading = new AtomicInteger();
    volatile ScheduledFuture<?> ticks;
    /** Its first tick has begun: a feed added later is read on its own at once. */
    volatile boolean ticked;

    SourceFeeds(SourceKey key) {
      this.key = key;
    }

    /**
     * Reads every feed from one visit to the source (made at this tick), a few hundred feeds per
     * reader task; skipped while the last tick's reads are still under way (a slow source is not
     * asked twice at once).
     */
    void tick() {
      if (!reading.compareAndSet(0, -1)) return;
      ticked = true;
      Instant since = clock.instant();
      List<ReadKey> keys = new ArrayList<>(feeds.keySet());
      List<List<ReadKey>> tasks = new ArrayList<>();
      for (int i = 0; i < keys.size(); i += FEEDS_PER_TASK) tasks.add(keys.subList(i, Math.min(keys.size(), i + FEEDS_PER_TASK)));
      if (tasks.isEmpty()) {
        reading.set(0);
        return;
      }
      reading.set(tasks.size());
      for (List<ReadKey> task : tasks) {
        readers.execute(() -> {
          try {
            for (ReadKey k : task) read(this, k, since);
          } finally {
            reading.decrementAndGet(); // after the fan-out: a watch that fired has left before the next read
          }
        });
      }
    }
  }
}
