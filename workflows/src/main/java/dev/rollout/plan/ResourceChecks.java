package dev.rollout.plan;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Declared resources must say enough to be used, and name their secrets rather than hold them: a
 * connection or secret field is the name of a configuration entry ({@code ORDERS_DB}), never a URL.
 */
final class ResourceChecks {
  private static final Pattern CONFIG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private ResourceChecks() {}

  static void check(CheckContext c) {
    Resources r = c.plan.resources();
    each(c, r.databases(), "resources.databases", (db, p) -> secretName(c, db.connection(), p + ".connection"));
    each(c, r.routers(), "resources.routers", (router, p) -> router(c, router, p));
    each(c, r.flagStores(), "resources.flagStores", (store, p) -> flagStore(c, store, p));
    each(c, r.metricSources(), "resources.metricSources", (source, p) -> metricSource(c, source, p));
    each(c, r.workloads(), "resources.workloads", (w, p) -> {
      c.required(w.namespace(), p + ".namespace");
      c.required(w.deployment(), p + ".deployment");
    });
    each(c, r.notifiers(), "resources.notifiers", (n, p) -> notifier(c, n, p));
  }

  private static <T> void each(
      CheckContext c, Map<String, T> declared, String path, BiConsumer<T, String> check) {
    declared.forEach((name, value) -> {
      if (value == null) {
        c.problem(PlanPaths.field(path, name), "must not be empty");
      } else {
        check.accept(value, PlanPaths.field(path, name));
      }
    });
  }

  private static void router(CheckContext c, Router router, String p) {
    if (router instanceof Router.Nginx n) {
      c.required(n.upstreamFile(), p + ".upstreamFile");
      c.required(n.upstream(), p + ".upstream");
      hostPort(c, n.stable(), p + ".stable");
      hostPort(c, n.canary(), p + ".canary");
    } else if (router instanceof Router.GatewayRoute g) {
      c.required(g.namespace(), p + ".namespace");
      c.required(g.route(), p + ".route");
      c.required(g.stableService(), p + ".stableService");
      c.required(g.canaryService(), p + ".canaryService");
    } else if (router instanceof Router.ReplicaRatio r) {
      c.required(r.namespace(), p + ".namespace");
      c.required(r.stable(), p + ".stable");
      c.required(r.canary(), p + ".canary");
      if (c.written(p + ".totalReplicas") && r.totalReplicas() < 1) {
        c.problem(p + ".totalReplicas", r.totalReplicas() + " is not a replica count (1 or more)");
      }
    } else if (router instanceof Router.FlagPercentage f) {
      if (c.required(f.store(), p + ".store")) {
        c.declared(f.store(), c.plan.resources().flagStores(), "flag store", p + ".store");
      }
      c.required(f.flag(), p + ".flag");
    } else if (router instanceof Router.HttpProxy h) {
      url(c, h.adminUrl(), p + ".adminUrl");
    }
  }

  private static void flagStore(CheckContext c, FlagStore store, String p) {
    if (store instanceof FlagStore.ConfigMap m) {
      c.required(m.namespace(), p + ".namespace");
      c.required(m.name(), p + ".name");
    } else if (store instanceof FlagStore.RedisHash h) {
      secretName(c, h.connection(), p + ".connection");
      c.required(h.key(), p + ".key");
    } else if (store instanceof FlagStore.JsonFile f) {
      c.required(f.path(), p + ".path");
    }
  }

  private static void metricSource(CheckContext c, MetricSource source, String p) {
    if (source instanceof MetricSource.Prometheus prometheus) {
      url(c, prometheus.url(), p + ".url");
    } else if (source instanceof MetricSource.Scrape scrape) {
      url(c, scrape.url(), p + ".url");
    } else if (source instanceof MetricSource.Scripted scripted) {
      c.required(scripted.values(), p + ".values");
    }
  }

  private static void notifier(CheckContext c, Notifier n, String p) {
    if (n instanceof Notifier.Webhook w) {
      secretName(c, w.urlSecret(), p + ".urlSecret");
    } else if (n instanceof Notifier.Slack s) {
      secretName(c, s.urlSecret(), p + ".urlSecret");
    } else if (n instanceof Notifier.PagerDuty d) {
      secretName(c, d.routingKeySecret(), p + ".routingKeySecret");
      if (d.urlSecret() != null) secretName(c, d.urlSecret(), p + ".urlSecret");
    }
  }

  private static void secretName(CheckContext c, String name, String path) {
    if (c.required(name, path) && !CONFIG_NAME.matcher(name).matches()) {
      // The value is not repeated: it may be the secret itself.
      c.problem(path, "must name a configuration entry (e.g. ORDERS_DB), not hold the secret or"
          + " URL itself");
    }
  }

  static void url(CheckContext c, String url, String path) {
    if (c.required(url, path)) Addresses.urlProblem(url).ifPresent(why -> c.problem(path, why));
  }

  private static void hostPort(CheckContext c, String address, String path) {
    if (c.required(address, path)) Addresses.hostPortProblem(address).ifPresent(why -> c.problem(path, why));
  }
}
