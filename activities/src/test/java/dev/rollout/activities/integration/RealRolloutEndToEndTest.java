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
    dev.rollout.workflow.RolloutWorkflows.registerOn(worker);
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

  /**
   * Rows written while the canary bakes, after an expand migration, survive the rollback (its undo
   * is nothing, no backup is restored); afterwards real requests through nginx reach only stable.
   */
  @Test
  void writesDuringABakeSurviveARollbackPastAnExpandAndNginxSendsNoneOf1000RequestsToTheCanary() throws Exception {
    String planText = plan().replace(
        "      - { kind: health, url: \"" + app.url("/health") + "\", failureThreshold: 2, interval: 100ms, timeout: 10s }\n",
        "    bake: 1h\n");
    assertThat(planText).contains("bake: 1h").doesNotContain("kind: health");
    RolloutWorkflow workflow = start(planText);
    awaitState(workflow, dev.rollout.workflow.RolloutState.BAKING);
    assertThat(new NginxRouter(new NginxSettings()).readWeight(nginx())).isEqualTo(25.0);

    db.execute("insert into orders (id, amount, discount) select g, g, 0.1 from generate_series(301, 350) g");
    workflow.abort(new dev.rollout.workflow.Actions.Abort("it", "written during the bake", "DevOps Team"));
    RolloutResult result = env.getWorkflowClient().newUntypedWorkflowStub(id(planText)).getResult(RolloutResult.class);

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(db.queryLong("select count(*) from orders")).as("the 50 rows written during the bake").isEqualTo(350);
    assertThat(db.hasColumn("orders", "discount")).isTrue();
    assertThat(redis.hget(flagKey, "checkout-v2")).isEqualTo("false");
    try (LocalHttpServer stable = new LocalHttpServer(Services.port("ROLLOUT_NGINX_STABLE_PORT"), () -> 200, "stable");
         LocalHttpServer canary = new LocalHttpServer(Services.port("ROLLOUT_NGINX_CANARY_PORT"), () -> 200, "canary")) {
      // A reload takes effect asynchronously: wait for a batch without the canary, then count.
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (countCanary(100) > 0) assertThat(System.nanoTime()).as("nginx serves the rollback within 15 s").isLessThan(deadline);
      assertThat(countCanary(1000)).as("requests of 1,000 reaching the canary after the rollback").isZero();
    }
  }

  /** nginx left at 100 % to the canary: the rollout changes nothing — no backup, no migration, no flag, no weight. */
  @Test
  void aRolloutStartedWithNginxSendingEverythingToTheCanaryChangesNothing() throws Exception {
    new TrafficActivitiesImpl(new TrafficRouters(List.of(new NginxRouter(new NginxSettings())))).setWeight("it", "web", nginx(), 100);

    RolloutResult result = run();

    assertThat(result.outcome()).isEqualTo(Outcome.STOPPED_BEFORE_CHANGE);
    assertThat(result.reason()).contains("already carries 100%");
    assertThat(new NginxRouter(new NginxSettings()).readWeight(nginx())).isEqualTo(100.0);
    assertThat(db.exists("coupons")).isFalse();
    assertThat(redis.hget(flagKey, "checkout-v2")).isEqualTo("false");
    assertThat(Files.exists(dir.resolve("backups")) ? Files.walk(dir.resolve("backups")).filter(p -> p.toString().endsWith(".dump")).count() : 0)
        .as("no backup taken").isZero();
  }

  /**
   * After a contract migration (the point of no return) a failure restores nothing and undoes
   * nothing on its own (afterContract: hold): the rollout waits ROLLBACK_BLOCKED for a forward fix
   * with every undo waiting for a decision; the contracted schema and every row stay.
   */
  @Test
  void aFailureAfterAContractHoldsInsteadOfRestoringTheBackup() throws Exception {
    Files.writeString(dir.resolve("migrations/V3__contract.sql"), "alter table orders drop column amount;\n");
    health = 503;
    String planText = plan()
        .replace("      - { kind: traffic, router: web, percent: 25 }\n", "")
        .replace("      - { kind: backup, database: orders }\n", "      - { kind: traffic, router: web, percent: 100 }\n      - { kind: backup, database: orders }\n")
        .replace("      - { kind: health,", "      - { kind: migrate, database: orders, phase: contract, targetVersion: \"3\" }\n      - { kind: health,");
    assertThat(planText).contains("phase: contract").contains("percent: 100");
    RolloutWorkflow workflow = start(planText);
    awaitState(workflow, dev.rollout.workflow.RolloutState.ROLLBACK_BLOCKED);

    var status = workflow.status();
    assertThat(status.undos()).isNotEmpty().allSatisfy(u -> assertThat(u.status()).isIn(
        dev.rollout.workflow.UndoEntry.Status.NEEDS_DECISION, dev.rollout.workflow.UndoEntry.Status.DONE));
    assertThat(status.undos()).anySatisfy(u -> assertThat(u.description()).contains("restore orders"));
    assertThat(status.undos()).filteredOn(u -> u.description().contains("restore orders"))
        .allSatisfy(u -> assertThat(u.status()).isEqualTo(dev.rollout.workflow.UndoEntry.Status.NEEDS_DECISION));
    assertThat(db.hasColumn("orders", "amount")).as("the contract stays: no backup restored").isFalse();
    assertThat(db.queryLong("select count(*) from orders")).isEqualTo(300);
    assertThat(new NginxRouter(new NginxSettings()).readWeight(nginx())).as("held: nothing undone on its own").isEqualTo(100.0);
  }

  private static int countCanary(int requests) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var uri = java.net.URI.create("http://127.0.0.1:" + Services.port("ROLLOUT_NGINX_PORT") + "/");
    int hits = 0;
    for (int i = 0; i < requests; i++) {
      var request = java.net.http.HttpRequest.newBuilder(uri).GET().build();
      String body;
      try {
        body = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      } catch (java.io.IOException closedByOldWorker) { // old workers close keep-alive connections after a reload
        body = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      }
      if ("canary".equals(body)) hits++;
    }
    return hits;
  }

  private RolloutWorkflow start(String planText) throws Exception {
    Path planFile = dir.resolve("e2e-" + System.nanoTime() + ".yaml");
    Files.writeString(planFile, planText);
    Plan plan = Plans.load(planFile);
    String id = RolloutIds.forPlan(plan);
    RolloutWorkflow workflow = env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(RolloutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
    io.temporal.client.WorkflowClient.start(workflow::run, new RolloutRequest(id, plan, "it", planFile.toString()));
    return env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class, id);
  }

  private String id(String planText) throws Exception {
    Path planFile = dir.resolve("id-" + System.nanoTime() + ".yaml");
    Files.writeString(planFile, planText);
    return RolloutIds.forPlan(Plans.load(planFile));
  }

  private static void awaitState(RolloutWorkflow workflow, dev.rollout.workflow.RolloutState state) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    dev.rollout.workflow.RolloutState last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = workflow.status().state();
        if (last == state) return;
      } catch (RuntimeException notYet) {
        // the first workflow task has not run yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("never reached " + state + " within 60 s; last " + last);
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
