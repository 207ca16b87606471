package dev.rollout.activities.support;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP clients of the activities (metric sources, proxy routers, health checks, notices). They
 * share a few threads for their responses: a client left to itself starts a thread per request in
 * flight, so a thousand rollouts rolling back at once would add threads by the hundred.
 */
public final class HttpClients {
  /** Response handling only: the calling activity or watch thread waits for its own request. */
  static final int THREADS = 4;

  private static final ExecutorService SHARED = Executors.newFixedThreadPool(THREADS, DaemonThreads.named("rollout-http"));

  private HttpClients() {}

  /** A client that connects within {@code connectTimeout}, on the shared threads. */
  public static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder().connectTimeout(connectTimeout).executor(SHARED).build();
  }
}
