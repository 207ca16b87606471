package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.demo.DemoPlan;
import dev.rollout.demo.DemoTarget;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.PlanException;
import dev.rollout.plan.Plans;
import dev.rollout.server.RolloutServer;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "demo",
    description = {
      "Runs a short demo rollout end to end on this machine, no installs.",
      "It starts an embedded Temporal server, the worker and the API, and a demo target (v1 and v2 of a tiny HTTP service behind a local weighted",
      "router with Micrometer metrics, under steady load). Asks you for the approvals unless --auto-approve.",
      "Exits 0 when the demo ran as asked: COMPLETED, or ROLLED_BACK when --break-at asked for it."
    })
final class DemoCommand implements Callable<Integer> {

  /** Who starts the demo rollout: a pipeline, so the person at the terminal can approve it. */
  static final String PIPELINE_USER = "demo-pipeline";

  @ParentCommand RolloutCli root;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--auto-approve", description = "Approve everything without asking (for scripts and CI).")
  boolean autoApprove;

  @Option(names = "--break-at", paramLabel = "PHASE",
      description = "Make v2 fail from this phase on, so the rollout rolls back (phases: canary-10, wave-50, full).")
  String breakAt;

  @Option(names = "--router-port", defaultValue = "8089",
      description = "The demo router's port; a free one when it is taken (default: ${DEFAULT-VALUE}).")
  int routerPort;

  @Option(names = "--api-port", defaultValue = "0", description = "The REST API's port (default: a free one).")
  int apiPort;

  @Option(names = "--rate", defaultValue = "40", description = "Requests per second sent through the router (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--plan", paramLabel = "FILE", hidden = true,
      description = "Run another plan against the demo target instead of the shipped one.")
  Path planFile;

  @Override
  public Integer call() throws IOException {
    Terminal terminal = root.terminal();
    PrintWriter out = terminal.out();
    String planText = planFile == null ? DemoPlan.text() : Files.readString(planFile);
    Plan plan = validPlan(planText);
    long began = System.nanoTime();
    // Everyone in the demo gets a token minted now: the pipeline that starts, the person at the
    // terminal, and one simulated approver per role (quorums need distinct people).
    LocalAccess access = new LocalAccess().allowEverything("demo", "demo");
    DemoPeople people = new DemoPeople(access, terminal.user(), plan.roles());
    java.nio.file.Path tokenFile = Files.createTempDirectory("rollout-demo-").resolve(TokenStore.FILE);
    TokenStore.write(tokenFile, people.terminalToken());
    tokenFile.toFile().deleteOnExit();
    tokenFile.getParent().toFile().deleteOnExit();
    try (DemoTarget target = startTarget();
        ConfigurableApplicationContext server = startServer(access.args())) {
      String api = "http://127.0.0.1:" + RolloutServer.apiPort(server);
      out.printf("demo: v1 and v2 behind the router at %s (metrics: %s), %d requests/s%n",
          target.router().url(), target.router().metricsUrl(), rate);
      out.printf("demo: rollout server at %s, Temporal at %s%n", api, ServerInfo.temporalTarget(server));
      out.printf("demo: your token (as %s) is in %s: ROLLOUT_TOKEN=$(cat %s) ./rollout status ... --api %s%n",
          terminal.user(), tokenFile, tokenFile, api);
      String text = DemoPlan.pointedAt(planText, target.router().url());
      JsonNode started = new ApiClient(api, people.pipelineToken())
          .postText(RolloutPaths.ROLLOUTS + "?source=demo-plan.yaml", text, "application/yaml");
      String id = started.path("rolloutId").asText();
      out.printf("demo: %s started rollout %s of plan %s (%d phases)%n%n", PIPELINE_USER, id, plan.name(), plan.phases().size());
      DemoSession session = new DemoSession(api, terminal, target, autoApprove, breakAt, people);
      RolloutStatus end = new Watcher(new ApiClient(api, people.terminalToken()), out, Duration.ofMillis(250), Clock.systemUTC())
          .follow(id, session::observe);
      session.summary().print(end, plan, Duration.ofNanos(System.nanoTime() - began), out);
      // What the worker says while it stops after the summary (pollers losing the server) is noise.
      server.getBean(LoggingSystem.class).setLogLevel(null, LogLevel.OFF);
      RolloutState asked = breakAt == null ? RolloutState.COMPLETED : RolloutState.ROLLED_BACK;
      if (end.state() != asked) {
        terminal.err().printf("rollout: the demo ended %s but %s was expected%n", end.state(), asked);
        return ExitCodes.REFUSED;
      }
      return ExitCodes.OK;
    }
  }

  private Plan validPlan(String planText) {
    Plan plan;
    try {
      plan = Plans.parse(planText, planFile == null ? "demo-plan.yaml" : planFile.toString());
    } catch (PlanException e) {
      throw CliException.refused("the demo plan is invalid:" + System.lineSeparator() + e.getMessage());
    }
    List<String> phases = plan.phases().stream().map(Phase::name).toList();
    if (breakAt != null && !phases.contains(breakAt)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--break-at '" + breakAt + "' is not a phase of the demo plan; its phases are " + String.join(", ", phases));
    }
    return plan;
  }

  private DemoTarget startTarget() throws IOException {
    try {
      return DemoTarget.start(routerPort, Duration.ofSeconds(5), rate);
    } catch (BindException e) {
      root.terminal().out().printf("demo: port %d is taken; the router takes a free one%n", routerPort);
      return DemoTarget.start(0, Duration.ofSeconds(5), rate);
    }
  }

  private ConfigurableApplicationContext startServer(List<String> accessArgs) {
    root.terminal().out().println("demo: starting the embedded Temporal server, the worker and the API...");
    root.terminal().out().flush();
    List<String> args = new java.util.ArrayList<>(accessArgs);
    args.addAll(List.of(
        "--rollout.temporal.embedded.port=0",
        "--spring.main.banner-mode=off",
        "--logging.level.root=WARN",
        // Known and harmless here: Temporal's meters vs Prometheus' tag rules; no worker heartbeats on the test server.
        "--logging.level.io.micrometer.prometheusmetrics=ERROR",
        "--logging.level.io.temporal.internal.worker.HeartbeatManager=ERROR"));
    return RolloutServer.start(apiPort, args.toArray(String[]::new));
  }
}
