package dev.rollout.plan;

import java.util.Map;

/**
 * What a plan's steps act on, declared once by name. Holds addresses and the names of secrets,
 * never the secrets themselves.
 */
public record Resources(
    Map<String, Database> databases,
    Map<String, Router> routers,
    Map<String, FlagStore> flagStores,
    Map<String, MetricSource> metricSources,
    Map<String, Workload> workloads,
    Map<String, Notifier> notifiers) {

  public static final Resources NONE = new Resources(null, null, null, null, null, null);

  public Resources {
    databases = Lists.copy(databases);
    routers = Lists.copy(routers);
    flagStores = Lists.copy(flagStores);
    metricSources = Lists.copy(metricSources);
    workloads = Lists.copy(workloads);
    notifiers = Lists.copy(notifiers);
  }
}
