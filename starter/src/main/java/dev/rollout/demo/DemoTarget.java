package dev.rollout.demo;

import java.io.IOException;
import java.time.Duration;

/**
 * The demo's system under rollout, all in this JVM: stable v1 and canary v2 of a tiny service
 * behind the weighted router, with a load generator sending traffic through it.
 */
public final class DemoTarget implements AutoCloseable {

  private final DemoService stable;
  private final DemoService canary;
  private final RouterMetrics metrics;
  private final WeightedRouter router;
  private final LoadGenerator load;

  private DemoTarget(DemoService stable, DemoService canary, RouterMetrics metrics, WeightedRouter router, LoadGenerator load) {
    this.stable = stable;
    this.canary = canary;
    this.metrics = metrics;
    this.router = router;
    this.load = load;
  }

  /**
   * @param routerPort 0 for a free port
   * @param window how far back the router's error-rate and latency gauges look
   * @param requestsPerSecond the load sent through the router
   */
  public static DemoTarget start(int routerPort, Duration window, int requestsPerSecond) throws IOException {
    DemoService stable = DemoService.start("v1");
    DemoService canary = DemoService.start("v2");
    RouterMetrics metrics = new RouterMetrics(window);
    WeightedRouter router;
    try {
      router = WeightedRouter.start(stable, canary, metrics, routerPort);
    } catch (IOException e) {
      canary.close();
      stable.close();
      throw e;
    }
    LoadGenerator load = LoadGenerator.start(router.url(), requestsPerSecond);
    return new DemoTarget(stable, canary, metrics, router, load);
  }

  public WeightedRouter router() {
    return router;
  }

  public RouterMetrics metrics() {
    return metrics;
  }

  public LoadGenerator load() {
    return load;
  }

  /** Makes the canary fail every request from now on. */
  public void breakCanary() {
    canary.breakIt();
  }

  public boolean canaryBroken() {
    return canary.broken();
  }

  @Override
  public void close() {
    load.close();
    router.close();
    canary.close();
    stable.close();
  }
}
