package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.LocalHttpServer;
import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.activities.flags.FlagActivitiesImpl;
import dev.rollout.activities.flags.FlagStores;
import dev.rollout.activities.flags.redis.RedisFlagStore;
import dev.rollout.activities.health.HealthActivitiesImpl;
import dev.rollout.activities.notify.NotificationActivitiesImpl;
import dev.rollout.activities.notify.log.LogSender;
import dev.rollout.activities.support.Secrets;
import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.activities.traffic.TrafficRouters;
import dev.rollout.activities.traffic.nginx.NginxRouter;
import dev.rollout.activities.traffic.nginx.NginxSettings;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.workflow.RolloutWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A short plan file naming a real PostgreSQL database, a real nginx upstream and a real Redis
 * flag hash, run by the real workflow on the test server with the real activities: once to
 * completion (the world changed), once failing its health check (the world was put back).
 */
@Tag("integration")
class RealRolloutEndToEndTest {

  @TempDir Path dir;
  PgFixture db;
  Jedis redis;
  LocalHttpServer app;
  volatile int health = 200;
  TestWorkflowEnvironment env;
  String flagKey = "it:e2e:" + Long.toHexString(System.nanoTime());

  @BeforeEach
  void world() throws Exception {
    db = new PgFixture("e2e_orders");
    db.execute("create table orders (id int primary key, amount numeric)", "insert into orders select g, g from generate_series(1, 300) g");
    Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(dir.resolve("migrations/V2__expand.sql"), "create table coupons (code text primary key);\nalter table orders add column discount numeric;\n");
    redis = new Jedis(java.net.URI.create(redisUrl()));
    redis.hset(flagKey, "checkout-v2", "false");
    app = new LocalHttpServer(() -> health);

    env = TestWorkflowEnvironment.newInstance();
    dev.rollout.workflow.RolloutSearchAttributes.registerOn(env);
    Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RolloutWorkflowImpl.class, dev.rollout.workflow.TargetLockWorkflowImpl.class);
    Secrets secrets = new Secrets(Map.of(
        "E2E_DB_URL", Services.pgUrl(db.database), "E2E_DB_USER", Services.get("ROLLOUT_PG_USER"),
        "E2E_REDIS_URL", redisUrl()));
    worker.registerActivitiesImplementations(
        new DatabaseActivitiesImpl(new DatabaseSettings(dir.resolve("backups")), secrets),
        new TrafficActivitiesImpl(new TrafficRouters(List.of(new NginxRouter(new NginxSettings())))),
        new FlagActivitiesImpl(new FlagStores(List.of(new RedisFlagStore(secrets)))),
        new HealthActivitiesImpl(),
        new NotificationActivitiesImpl(List.of(new LogSender()), Clock.systemUTC()));
    env.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    env.close();
    new TrafficActivitiesImpl(new TrafficRouters(List.of(new NginxRouter(new NginxSettings()))))
        .setWeight("it", "web", nginx(), 0);
    redis.del(flagKey);
    redis.close();
    app.close();
    db.close();
  }

  @Test
  void aHealthyRolloutChangesTheRealWorld() throws Exception {
    RolloutResult result = run();

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(db.exists("coupons")).isTrue();
    assertThat(db.hasColumn("orders", "discount")).isTrue();
    assertThat(redis.hget(flagKey, "checkout-v2")).isEqualTo("true");
    assertThat(Files.readString(Path.of(Services.get("ROLLOUT_NGINX_UPSTREAM_FILE")))).contains("weight=3;", "weight=1;");
    try (var backups = Files.walk(dir.resolve("backups"))) {
      assertThat(backups.filter(p -> p.toString().endsWith(".dump"))).hasSize(1);
    }
  }

  @Test
  void aFailedHealthCheckPutsTheDatabaseTrafficAndFlagsBack() throws Exception {
    health = 503;

    RolloutResult result = run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.reason()).contains("unhealthy");
    // An expand migration is backward compatible: the rollback keeps it (and every row) rather
    // than restoring the backup and losing what was written since.
    assertThat(db.exists("coupons")).as("the expand migration stays: its undo is nothing").isTrue();
    assertThat(db.hasColumn("orders", "discount")).isTrue();
    assertThat(db.queryLong("select count(*) from orders")).isEqualTo(300);
    assertThat(redis.hget(flagKey, "checkout-v2")).isEqualTo("false");
    assertThat(new NginxRouter(new NginxSettings()).readWeight(nginx())).isZero();
  }

  private RolloutResult run() throws Exception {
    Path planFile = dir.resolve("e2e.yaml");
    Files.writeString(planFile, plan());
    Plan plan = Plans.load(planFile);
    String id = RolloutIds.forPlan(plan);
    RolloutWorkflow workflow = env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(RolloutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
    return workflow.run(new RolloutRequest(id, plan, "it", planFile.toString()));
  }

  private String plan() {
    return """
        apiVersion: rollout.dev/v1
        name: e2e-real
        version: 1.0.0
        targets:
          - { service: shop, environment: it }
        roles: [DevOps Team]
        resources:
          databases:
            orders: { connection: E2E_DB, migrations: "filesystem:%s" }
          routers:
            web: { type: nginx, upstreamFile: "%s", nginxConfig: "%s", upstream: app, stable: "127.0.0.1:%s", canary: "127.0.0.1:%s" }
          flagStores:
            flags: { type: redis, connection: E2E_REDIS, key: "%s" }
          notifiers:
            log: { type: log }
        phases:
          - name: expand-and-canary
            steps:
              - { kind: backup, database: orders }
              - { kind: migrate, database: orders, phase: expand, targetVersion: "2" }
              - { kind: flags, store: flags, values: { checkout-v2: true } }
              - { kind: traffic, router: web, percent: 25 }
              - { kind: health, url: "%s", failureThreshold: 2, interval: 100ms, timeout: 10s }
        """.formatted(dir.resolve("migrations"), Services.get("ROLLOUT_NGINX_UPSTREAM_FILE"), Services.get("ROLLOUT_NGINX_CONF"),
        Services.get("ROLLOUT_NGINX_STABLE_PORT"), Services.get("ROLLOUT_NGINX_CANARY_PORT"), flagKey, app.url("/health"));
  }

  private static dev.rollout.plan.Router.Nginx nginx() {
    return new dev.rollout.plan.Router.Nginx(Services.get("ROLLOUT_NGINX_UPSTREAM_FILE"), Services.get("ROLLOUT_NGINX_CONF"), "app",
        "127.0.0.1:" + Services.get("ROLLOUT_NGINX_STABLE_PORT"), "127.0.0.1:" + Services.get("ROLLOUT_NGINX_CANARY_PORT"));
  }

  private static String redisUrl() {
    Services.requireListening("Redis", "ROLLOUT_REDIS_PORT");
    return "redis://127.0.0.1:" + Services.port("ROLLOUT_REDIS_PORT");
  }
}
