package dev.rollout.worker;

import dev.rollout.workflow.TargetLockRelease;
import dev.rollout.workflow.TargetLockReleaseImpl;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * What the workflows module itself brings to the worker, whichever activities run the steps (real
 * or a test's recording ones): the local activity that ends a rollout's target locks from its last
 * workflow task (listed in {@code rollout-worker.yaml}), and how its {@code rollout_*} timers are kept.
 */
@Configuration(proxyBeanMethods = false)
@Profile("!api-only")
public class WorkflowBeans {

  @Bean
  TargetLockRelease targetLockRelease() {
    return new TargetLockReleaseImpl();
  }

  /**
   * The rollout's own timers ({@code rollout_detection_latency}, {@code rollout_rollback_duration},
   * {@code rollout_approval_wait}) keep their count, sum and max but no percentile histogram. They
   * are tagged per target and plan, so each rollout's first record registers a new series: Temporal's
   * Micrometer reporter asks for a percentile histogram (dozens of buckets, each kept over several time
   * windows) on every timer: ~4 % of the CPU of an all-at-once rollback of 1,000 rollouts went into
   * building them, and 10,000 targets would export over a million bucket lines per scrape. Nothing reads their buckets (the dashboard
   * divides sum by count); the SDK's own {@code temporal_*} timers keep theirs.
   */
  @Bean
  MeterFilter rolloutTimersWithoutHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("rollout_")) return config;
        return DistributionStatisticConfig.builder().percentilesHistogram(false).build().merge(config);
      }
    };
  }
}
