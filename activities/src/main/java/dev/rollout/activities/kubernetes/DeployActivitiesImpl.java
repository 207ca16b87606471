package dev.rollout.activities.kubernetes;

import dev.rollout.activities.DeployActivities;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.WriteOrder;
import dev.rollout.plan.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Deployments through fabric8: image, replicas and env, each an absolute change (a retry
 * finds it done and only waits), then waits heartbeating until the Deployment is ready.
 */
public class DeployActivitiesImpl implements DeployActivities {

  private static final Logger log = LoggerFactory.getLogger(DeployActivitiesImpl.class);

  private final Deployments deployments;
  private final RevisionHistory revisions;
  /** Changes in the order the workflow asked (a cancelled step never lands on its undo). */
  private final WriteOrder order = new WriteOrder();

  public DeployActivitiesImpl(KubernetesClient client, KubernetesSettings settings) {
    this.deployments = new Deployments(client, settings);
    this.revisions = new RevisionHistory(client);
  }

  @Override
  public WorkloadState current(String rolloutId, String workload, Workload spec) {
    return kubernetes("reading " + workload, () -> read(spec));
  }

  private WorkloadState read(Workload spec) {
    Deployment d = deployments.require(spec.namespace(), spec.deployment()).get();
    Container c = container(d, spec);
    // Names and "set" only: a value read here would be in workflow history for good.
    Map<String, String> env = new LinkedHashMap<>();
    if (c.getEnv() != null) c.getEnv().forEach(e -> env.put(e.getName(), ENV_VALUE_REDACTED));
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    String revision = d.getMetadata().getAnnotations() == null ? null
        : d.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
    return new WorkloadState(c.getImage(), replicas, env, revision, rolledOut(d, replicas));
  }

  /**
   * As {@code kubectl rollout status} judges it: the controller has seen the current spec and every
   * replica is updated and available; a Deployment in the middle of a rollout runs two revisions.
   */
  static boolean rolledOut(Deployment d, int replicas) {
    var s = d.getStatus();
    if (s == null) return false;
    Long generation = d.getMetadata().getGeneration();
    boolean observed = generation == null || (s.getObservedGeneration() != null && s.getObservedGeneration() >= generation);
    return observed && orZero(s.getUpdatedReplicas()) == replicas && orZero(s.getAvailableReplicas()) == replicas
        && orZero(s.getReplicas()) == replicas;
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }

  @Override
  public void setImage(String rolloutId, String workload, Workload spec, String image) {
    if (image == null || image.isBlank()) throw Failures.badInput("deploy to '" + workload + "': image is required");
    ordered(workload, () -> kubernetes("deploying " + image + " to " + workload,
        () -> change(spec, d -> container(d, spec).setImage(image), d -> image.equals(container(d, spec).getImage()))));
    log.info("{}: {} runs {}", rolloutId, workload, image);
    await(spec, workload);
  }

  @Override
  public void scale(String rolloutId, String workload, Workload spec, int replicas) {
    ordered(workload, () -> kubernetes("scaling " + workload, () -> {
      deployments.scale(spec.namespace(), spec.deployment(), replicas);
      return null;
    }));
    log.info("{}: {} scaled to {}", rolloutId, workload, replicas);
    await(spec, workload);
  }

  @Override
  public void setEnv(String rolloutId, String workload, Workload spec, Map<String, String> env) {
    if (env == null || env.isEmpty()) throw Failures.badInput("env step of '" + workload + "': no variables given");
    String run = runOf(rolloutId);
    ordered(workload, () -> kubernetes("setting env of " + workload, () -> change(spec,
        d -> applyEnv(d, spec, rolloutId, run, env), d -> hasEnv(d, spec, rolloutId, run, env))));
    log.info("{}: {} env set {}", rolloutId, workload, env.keySet());
    await(spec, workload);
  }

  /** Rolls back to the previous revision, as {@code kubectl rollout undo} does, and waits. */
  public void undo(String rolloutId, String workload, Workload spec) {
    PodSpecTemplate previous = kubernetes("undoing " + workload, () -> {
      var deployment = deployments.require(spec.namespace(), spec.deployment());
      PodSpecTemplate template = revisions.previous(deployment.get());
      deployment.edit(d -> {
        d.getSpec().setTemplate(template.template());
        return d;
      });
      return template;
    });
    log.info("{}: {} rolled back to revision {}", rolloutId, workload, previous.revision());
    await(spec, workload);
  }

  /** Applies an absolute change unless it is already there (a retry: only wait). */
  private Void change(Workload spec, Consumer<Deployment> edit, Predicate<Deployment> done) {
    var deployment = deployments.require(spec.namespace(), spec.deployment());
    if (!done.test(deployment.get())) {
      deployment.edit(d -> {
        edit.accept(d);
        return d;
      });
    }
    return null;
  }

  /**
   * The change itself (not the wait for readiness after it) in the order the workflow asked for
   * it: a cancelled deploy that reaches the Deployment after its undo does not land on top of it.
   */
  private void ordered(String workload, Supplier<Void> change) {
    try {
      order.write("workload '" + workload + "'", change::get);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw Failures.retryable("changing " + workload, e);
    }
  }

  /** A call to the API server, its refusals turned into failures the workflow understands. */
  private static <T> T kubernetes(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw Failures.retryable(what, e);
    }
  }

  private void await(Workload spec, String workload) {
    try {
      deployments.awaitReady(spec.namespace(), spec.deployment());
    } catch (InterruptedException e) {
      throw Failures.retryable("waiting for '" + workload + "'", e);
    }
  }

  static Container container(Deployment d, Workload spec) {
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    List<Container> containers = pod.getContainers();
    if (spec.container() == null && containers.size() == 1) return containers.get(0);
    return containers.stream()
        .filter(c -> Objects.equals(c.getName(), spec.container()))
        .findFirst()
        .orElseThrow(() -> Failures.badInput("Deployment " + spec.namespace() + "/" + spec.deployment()
            + " has no container '" + spec.container() + "' (has: "
            + containers.stream().map(Container::getName).toList() + ")"));
  }

  /**
   * Sets, removes or restores each variable, and saves on the Deployment (same edit) what this run
   * replaced, the first time it replaces it: the compensation passes {@link #ENV_VALUE_REDACTED}
   * and gets exactly that back.
   */
  private static void applyEnv(Deployment d, Workload spec, String rolloutId, String run, Map<String, String> env) {
    Container c = container(d, spec);
    List<EnvVar> vars = c.getEnv() == null ? new ArrayList<>() : new ArrayList<>(c.getEnv());
    EnvStash stash = EnvStash.of(d, rolloutId, run);
    env.forEach((name, value) -> {
      EnvVar had = find(vars, name);
      if (ENV_VALUE_REDACTED.equals(value)) {
        if (!stash.env().containsKey(name)) return; // this run never changed it: nothing to put back
        EnvVar before = stash.env().remove(name);
        vars.removeIf(v -> v.getName().equals(name));
        if (before != null) vars.add(before);
      } else {
        EnvVar next = value == null ? null : new EnvVar(name, value, null);
        if (!stash.env().containsKey(name)) stash.env().put(name, had);
        else if (Objects.equals(stash.env().get(name), next)) stash.env().remove(name); // back to what it was
        vars.removeIf(v -> v.getName().equals(name));
        if (next != null) vars.add(next);
      }
    });
    c.setEnv(vars);
    stash.writeTo(d, rolloutId);
  }

  private static boolean hasEnv(Deployment d, Workload spec, String rolloutId, String run, Map<String, String> env) {
    Container c = container(d, spec);
    List<EnvVar> vars = c.getEnv() == null ? List.of() : c.getEnv();
    EnvStash stash = EnvStash.of(d, rolloutId, run);
    return env.entrySet().stream().allMatch(want -> {
      EnvVar have = find(vars, want.getKey());
      if (ENV_VALUE_REDACTED.equals(want.getValue())) {
        return !stash.env().containsKey(want.getKey()) || Objects.equals(stash.env().get(want.getKey()), have);
      }
      return want.getValue() == null ? have == null : have != null && want.getValue().equals(have.getValue()) && have.getValueFrom() == null;
    });
  }

  private static EnvVar find(List<EnvVar> vars, String name) {
    return vars.stream().filter(v -> v.getName().equals(name)).findFirst().orElse(null);
  }

  /** The workflow run calling (its stash is its own); the rollout id outside an activity. */
  private static String runOf(String rolloutId) {
    try {
      return Activity.getExecutionContext().getInfo().getRunId();
    } catch (RuntimeException notInAnActivity) {
      return rolloutId;
    }
  }
}
