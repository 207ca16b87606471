package dev.rollout.worker;

import dev.rollout.activities.RunbookActivities;
import dev.rollout.activities.runbook.CommandAllowList;
import dev.rollout.activities.runbook.RunbookActivitiesImpl;
import java.time.Duration;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DeployActivities;
import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.HealthActivities;
import dev.rollout.activities.NotificationActivities;
import dev.rollout.activities.TrafficActivities;
import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.activities.flags.FlagActivitiesImpl;
import dev.rollout.activities.flags.FlagStores;
import dev.rollout.activities.flags.configmap.ConfigMapFlagStore;
import dev.rollout.activities.flags.file.JsonFileFlagStore;
import dev.rollout.activities.flags.redis.RedisFlagStore;
import dev.rollout.activities.health.HealthActivitiesImpl;
import dev.rollout.activities.kubernetes.DeployActivitiesImpl;
import dev.rollout.activities.kubernetes.Deployments;
import dev.rollout.activities.kubernetes.KubernetesSettings;
import dev.rollout.activities.metrics.MetricActivitiesImpl;
import dev.rollout.activities.metrics.MetricProviders;
import dev.rollout.activities.metrics.prometheus.PrometheusProvider;
import dev.rollout.activities.metrics.scrape.ScrapeProvider;
import dev.rollout.activities.metrics.scripted.ScriptedProvider;
import dev.rollout.activities.notify.JsonPost;
import dev.rollout.activities.notify.NotificationActivitiesImpl;
import dev.rollout.activities.notify.log.LogSender;
import dev.rollout.activities.notify.pagerduty.PagerDutySender;
import dev.rollout.activities.notify.slack.SlackSender;
import dev.rollout.activities.notify.webhook.WebhookSender;
import dev.rollout.activities.support.HttpClients;
import dev.rollout.activities.support.Secrets;
import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.activities.traffic.TrafficRouters;
import dev.rollout.activities.traffic.flag.FlagPercentageRouter;
import dev.rollout.activities.traffic.gateway.GatewayRouteRouter;
import dev.rollout.activities.traffic.nginx.NginxRouter;
import dev.rollout.activities.traffic.nginx.NginxSettings;
import dev.rollout.activities.traffic.proxy.HttpProxyRouter;
import dev.rollout.activities.traffic.replicas.ReplicaRatioRouter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The real activity implementations from the {@code activities} module, as the beans the worker
 * registers (their names are listed in {@code rollout-worker.yaml}). Secrets and connections come
 * from the worker's environment, never from a plan. Not loaded by an API-only process (profile
 * {@code api-only}); tests that bring their own activities set {@code rollout.worker.activities}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("!api-only")
@ConditionalOnProperty(name = "rollout.worker.activities", havingValue = "real", matchIfMissing = true)
public class ActivityBeans {

  @Bean
  Secrets activitySecrets() {
    return Secrets.fromEnvironment();
  }

  /** Reads ~/.kube/config or the in-cluster service account; connects on first use. */
  @Bean
  KubernetesClient kubernetesClient() {
    return new KubernetesClientBuilder().build();
  }

  /** Backups go to a durable directory (never the temp directory: a rollback may come days later). */
  @Bean
  DatabaseActivities databaseActivities(
      Secrets secrets,
      @Value("${rollout.worker.backup-dir:${user.home}/.rollout/backups}") Path backupDir,
      @Value("${rollout.worker.postgresql-tools-dir:#{null}}") Path toolsDir,
      @Value("${rollout.worker.backup-verify-restore-max-bytes:1073741824}") long verifyRestoreMaxBytes,
      @Value("${rollout.worker.backup-keep-days:7}") int keepDays,
      @Value("${rollout.worker.backup-keep-per-database:3}") int keepPerDatabase) {
    return new DatabaseActivitiesImpl(
        new DatabaseSettings(backupDir, toolsDir, null, verifyRestoreMaxBytes,
            new DatabaseSettings.Retention(java.time.Duration.ofDays(keepDays), keepPerDatabase)),
        secrets);
  }

  @Bean
  DeployActivities deployActivities(KubernetesClient kubernetes) {
    return new DeployActivitiesImpl(kubernetes, new KubernetesSettings());
  }

  @Bean
  FlagStores flagStores(KubernetesClient kubernetes, Secrets secrets) {
    return new FlagStores(
        List.of(new ConfigMapFlagStore(kubernetes), new RedisFlagStore(secrets), new JsonFileFlagStore()));
  }

  @Bean
  FlagActivities flagActivities(FlagStores stores) {
    return new FlagActivitiesImpl(stores);
  }

  @Bean
  HealthActivities healthActivities() {
    return new HealthActivitiesImpl();
  }

  /**
   * One provider per metric source type. Prometheus requests time out after 5 s and are tried 3
   * times: a blip is absorbed, a dead source is reported fast.
   */
  @Bean
  MetricProviders metricProviders() {
    Duration timeout = Duration.ofSeconds(5);
    HttpClient http = HttpClients.newClient(timeout);
    return new MetricProviders(
        List.of(
            new PrometheusProvider(http, timeout, 3),
            new ScrapeProvider(http, timeout, Clock.systemUTC()),
            new ScriptedProvider()));
  }

  /** Served on both task queues (steps' reads on one, trigger watches on the other); closed with the worker. */
  @Bean
  MetricActivitiesImpl metricActivities(
      MetricProviders providers,
      @Value("${rollout.worker.watch-read-threads:4}") int readThreads,
      @Value("${rollout.worker.watch-reply-threads:4}") int replyThreads) {
    return new MetricActivitiesImpl(providers, Clock.systemUTC(), readThreads, replyThreads);
  }

  @Bean
  NotificationActivities notificationActivities(Secrets secrets) {
    JsonPost post = new JsonPost();
    return new NotificationActivitiesImpl(
        List.of(
            new LogSender(),
            new WebhookSender(secrets, post),
            new SlackSender(secrets, post),
            new PagerDutySender(secrets, post)),
        Clock.systemUTC());
  }

  /** Run steps name a command id; this allow-list (JSON id → argv) says what each runs. */
  @Bean
  RunbookActivities runbookActivities(
      KubernetesClient kubernetes, Secrets secrets, @Value("${rollout.worker.runbook-commands:}") String commands) {
    return new RunbookActivitiesImpl(kubernetes, CommandAllowList.parse(commands), secrets, Duration.ofSeconds(2));
  }

  @Bean
  TrafficActivities trafficActivities(
      KubernetesClient kubernetes, FlagStores stores, WorkerFlagStores namedStores) {
    return new TrafficActivitiesImpl(
        new TrafficRouters(
            List.of(
                new NginxRouter(new NginxSettings()),
                new GatewayRouteRouter(kubernetes),
                new ReplicaRatioRouter(new Deployments(kubernetes, new KubernetesSettings())),
                new FlagPercentageRouter(stores, namedStores.stores()),
                new HttpProxyRouter())));
  }

  @Bean
  WorkerFlagStores workerFlagStores(@Value("${rollout.worker.flag-stores:}") String json) {
    return WorkerFlagStores.parse(json);
  }
}
