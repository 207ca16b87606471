package dev.rollout.demo;

import dev.rollout.activities.support.DaemonThreads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Sends a steady stream of requests through the router while the demo rolls out. */
public final class LoadGenerator implements AutoCloseable {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(4, DaemonThreads.named("demo-load-http"))).build();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("demo-load"));
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final URI target;

  private LoadGenerator(URI target) {
    this.target = target;
  }

  /** Starts sending {@code perSecond} requests a second to {@code target}. */
  public static LoadGenerator start(URI target, int perSecond) {
    LoadGenerator load = new LoadGenerator(target);
    long periodMicros = 1_000_000L / Math.max(1, perSecond);
    load.ticker.scheduleAtFixedRate(load::send, 0, periodMicros, TimeUnit.MICROSECONDS);
    return load;
  }

  private void send() {
    HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, error) -> (error == null && response.statusCode() < 500 ? ok : failed).incrementAndGet());
  }

  public long succeeded() {
    return ok.get();
  }

  public long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
