package dev.rollout.activities.support;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP clients of the activities (metric sources, proxy routers, health checks, notices). They
 * share a few threads for their responses: a client left to itself starts a thread per request in
 * flight, so a thousand rollouts rolling back at once would add threads by the hundred.
 */
public final class HttpClients {
  /** Response handling only: the calling activity or watch thread waits for its own request. */
  static final int THREADS = 4;

  private static final ExecutorService SHARED = Executors.newFixedThreadPool(THREADS, new java.util.concurrent.ThreadFactory() {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "rollout-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  });

  private HttpClients() {}

  /** A client that connects within {@code connectTimeout}, on the shared threads. */
  public static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder().connectTimeout(connectTimeout).executor(SHARED).build();
  }
}
