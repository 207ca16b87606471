package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step of a phase. The {@code kind} field of a plan file picks the record; every step may carry
 * a {@code name} shown in status and in the Web UI.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Step.Backup.class, name = "backup"),
  @JsonSubTypes.Type(value = Step.Migrate.class, name = "migrate"),
  @JsonSubTypes.Type(value = Step.ShiftTraffic.class, name = "traffic"),
  @JsonSubTypes.Type(value = Step.SetFlags.class, name = "flags"),
  @JsonSubTypes.Type(value = Step.Deploy.class, name = "deploy"),
  @JsonSubTypes.Type(value = Step.Scale.class, name = "scale"),
  @JsonSubTypes.Type(value = Step.SetEnv.class, name = "env"),
  @JsonSubTypes.Type(value = Step.HealthCheck.class, name = "health"),
  @JsonSubTypes.Type(value = Step.Bake.class, name = "bake"),
  @JsonSubTypes.Type(value = Step.Notify.class, name = "notify"),
  @JsonSubTypes.Type(value = Step.Checklist.class, name = "checklist"),
  @JsonSubTypes.Type(value = Step.Run.class, name = "run"),
  @JsonSubTypes.Type(value = Step.Http.class, name = "http"),
})
public sealed interface Step {

  /** The kinds a plan file may name, in the order the docs list them. */
  List<String> KINDS =
      List.of(
          "backup", "migrate", "traffic", "flags", "deploy", "scale", "env", "health", "bake",
          "notify", "checklist", "run", "http");

  /** A label for people; may be null. */
  String name();

  /** Calls the visitor's method for this kind: the compiler lists every place a new kind must be handled. */
  <R> R accept(StepVisitor<R> visitor);

  /** Back up a declared database; verified before the step succeeds. Nothing to undo. */
  record Backup(String name, String database) implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.backup(this);
    }
  }

  /**
   * Migrate a declared database to {@code targetVersion}. Needs a backup of the same database
   * earlier in the plan; its compensation restores that backup.
   */
  record Migrate(String name, String database, MigrationPhase phase, String targetVersion)
      implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.migrate(this);
    }
  }

  /** Send {@code percent} of traffic to the new version through a declared router. */
  record ShiftTraffic(String name, String router, double percent) implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.traffic(this);
    }
  }

  /**
   * Set feature flags in a declared flag store. A rollback sets each flag to its value in {@code
   * rollbackValues} when the plan declares one, else to the value it had when the rollout started.
   */
  record SetFlags(String name, String store, Map<String, Object> values, Map<String, Object> rollbackValues)
      implements Step {
    public SetFlags {
      values = Lists.copy(values);
      rollbackValues = Lists.copy(rollbackValues);
    }

    public SetFlags(String name, String store, Map<String, Object> values) {
      this(name, store, values, null);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.flags(this);
    }
  }

  /** Deploy an image (or version tag) to a declared workload. */
  record Deploy(String name, String workload, String image) implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.deploy(this);
    }
  }

  /** Scale a declared workload. */
  record Scale(String name, String workload, int replicas) implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.scale(this);
    }
  }

  /** Set environment variables on a declared workload ({@code kubectl set env}). */
  record SetEnv(String name, String workload, Map<String, String> env) implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.env(this);
    }

    public SetEnv {
      env = Lists.copy(env);
    }
  }

  /**
   * Probe a URL until it answers {@code expectStatus}; {@code failureThreshold} consecutive
   * failures fail the step.
   */
  record HealthCheck(
      String name,
      String url,
      Integer expectStatus,
      Integer failureThreshold,
      Duration interval,
      Duration timeout)
      implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.health(this);
    }

    public HealthCheck {
      expectStatus = expectStatus == null ? 200 : expectStatus;
      failureThreshold = failureThreshold == null ? 3 : failureThreshold;
      interval = interval == null ? Duration.ofSeconds(5) : interval;
      timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
    }
  }

  /** Wait, watching {@code gates} (which must hold at the end) and an optional canary judge. */
  record Bake(String name, Duration duration, List<Gate> gates, CanaryAnalysis analysis)
      implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.bake(this);
    }

    public Bake {
      gates = Lists.copy(gates);
    }
  }

  /** Tell people something through a declared notifier. Never fails a rollout. */
  record Notify(String name, String notifier, Severity severity, String message) implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.notify(this);
    }

    public Notify {
      severity = severity == null ? Severity.INFO : severity;
    }
  }

  /**
   * An attestation someone holding one of {@code roles} must confirm ("Security audit passed")
   * before the rollout goes on.
   */
  record Checklist(String name, String item, List<String> roles) implements Step {
    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.checklist(this);
    }

    public Checklist {
      roles = Lists.copy(roles);
    }
  }

  /**
   * Run a runbook command to completion ({@code ./scripts/rollback.sh}, {@code redis-cli FLUSHDB}):
   * either a Kubernetes {@code job} (its exit decides, its log tail is reported), or a
   * {@code command} the worker allows, by id: the worker's configuration maps the id to the program
   * and its arguments, so a plan never carries a shell line. Exactly one of the two.
   *
   * @param undo run when the phase rolls back (registered before this step runs)
   * @param timeout how long it may run; default {@link #DEFAULT_RUN_TIMEOUT}
   */
  record Run(String name, String command, Job job, Undo undo, Duration timeout) implements Step {
    public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofMinutes(10);

    public Run {
      timeout = timeout == null ? DEFAULT_RUN_TIMEOUT : timeout;
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.run(this);
    }

    /** A Kubernetes Job of one container: {@code image} run with {@code args}, not retried. */
    public record Job(String namespace, String image, List<String> args, String serviceAccount) {
      public Job {
        args = Lists.copy(args);
      }
    }

    /** What undoes a run step: another allowed command or Job. */
    public record Undo(String command, Job job) {}
  }

  /**
   * Call an admin API ({@code curl -X POST .../admin/feature-flags}): {@code method} on {@code url}
   * with {@code body}, which must answer {@code expectStatus}. A secret header is named, never
   * written: the worker reads its value from its configuration, so it is in no history or log.
   *
   * @param undo the call that undoes it, sent with the same secret header
   */
  record Http(
      String name,
      String method,
      String url,
      String body,
      Integer expectStatus,
      SecretHeader secretHeader,
      Call undo,
      Duration timeout)
      implements Step {
    public Http {
      method = method == null ? "POST" : method;
      expectStatus = expectStatus == null ? 200 : expectStatus;
      timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
      return visitor.http(this);
    }

    /** {@code header: Authorization, secret: DEALERSCOPE_ADMIN_TOKEN}. */
    public record SecretHeader(String header, String secret) {}

    /** One request of an undo. */
    public record Call(String method, String url, String body, Integer expectStatus) {
      public Call {
        method = method == null ? "POST" : method;
        expectStatus = expectStatus == null ? 200 : expectStatus;
      }
    }
  }
}
