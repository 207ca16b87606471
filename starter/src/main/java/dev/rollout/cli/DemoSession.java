package dev.rollout.cli;

import dev.rollout.demo.DemoTarget;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutStatus.WaitingFor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the demo does as the rollout moves: breaks v2 at the asked phase, answers what the rollout
 * waits for (asking the person at the terminal, or approving when {@code --auto-approve}), and
 * keeps what the summary shows.
 */
final class DemoSession {

  private final String api;
  private final Terminal terminal;
  private final DemoTarget target;
  private final boolean autoApprove;
  private final String breakAt;
  private final Set<String> answered = new HashSet<>();
  private final DemoSummary summary;
  private final DemoPeople people;

  DemoSession(String api, Terminal terminal, DemoTarget target, boolean autoApprove, String breakAt, DemoPeople people) {
    this.people = people;
    this.api = api;
    this.terminal = terminal;
    this.target = target;
    this.autoApprove = autoApprove;
    this.breakAt = breakAt;
    this.summary = new DemoSummary(target);
  }

  DemoSummary summary() {
    return summary;
  }

  void observe(RolloutStatus status) {
    summary.observe(status);
    if (breakAt != null && breakAt.equals(status.phase()) && !target.canaryBroken() && !status.state().terminal()) {
      target.breakCanary();
      say("!! --break-at " + breakAt + ": v2 now answers every request with 500");
    }
    WaitingFor waiting = status.waitingFor();
    if (waiting == null || status.state().terminal()) return;
    switch (waiting.kind()) {
      case ENTRY_APPROVAL, EXIT_APPROVAL -> approve(status, waiting);
      case CHECKLIST -> confirm(status, waiting);
      case DECISION -> decide(status);
      default -> {}
    }
  }

  private void approve(RolloutStatus status, WaitingFor waiting) {
    Set<String> approvedRoles = new HashSet<>();
    waiting.approvedBy().forEach(a -> approvedRoles.add(a.role()));
    for (String role : waiting.roles()) {
      if (approvedRoles.contains(role) || approvedRoles.size() >= waiting.required()) continue;
      if (!answered.add(waitKey(status, waiting) + "/" + role)) continue;
      String question = waiting.kind().toString().replace('-', ' ') + " of " + status.phase() + " as " + role;
      boolean yes = autoApprove || ask("Approve the " + question + "? [y]es / [n]o, roll back: ", "y", "n").equals("y");
      Map<String, Object> body = body("role", role, yes ? "approved in the demo" : "rejected in the demo");
      if (waiting.id() != null) body.put("waitId", waiting.id());
      act(role, status.rolloutId(), yes ? "approve" : "reject", body, (yes ? "approved " : "rejected ") + question);
      if (yes) approvedRoles.add(role);
    }
  }

  private void confirm(RolloutStatus status, WaitingFor waiting) {
    if (!answered.add(waitKey(status, waiting))) return;
    String role = waiting.roles().isEmpty() ? null : waiting.roles().get(0);
    if (!autoApprove && !ask("Confirm '" + waiting.item() + "'? [y]es / [n]o, stop and roll back: ", "y", "n").equals("y")) {
      Map<String, Object> abort = body("reason", "checklist item not confirmed: " + waiting.item(), null);
      if (role != null) abort.put("role", role);
      act(role, status.rolloutId(), "abort", abort, "aborted");
      return;
    }
    Map<String, Object> body = body("item", waiting.item(), "confirmed in the demo");
    if (role != null) body.put("role", role);
    if (waiting.id() != null) body.put("waitId", waiting.id());
    act(role, status.rolloutId(), "confirm", body, "confirmed '" + waiting.item() + "'");
  }

  private void decide(RolloutStatus status) {
    if (!answered.add(waitKey(status, status.waitingFor()) + "/" + status.decisions().size())) return;
    String choice = autoApprove ? "ROLLBACK"
        : switch (ask("A gate failed and the plan holds: [r]oll back, re[t]ry or [c]ontinue? ", "r", "t", "c")) {
            case "t" -> "RETRY";
            case "c" -> "CONTINUE";
            default -> "ROLLBACK";
          };
    Map<String, Object> body = body("choice", choice, "decided in the demo");
    WaitingFor hold = status.waitingFor();
    String role = hold == null || hold.roles().isEmpty() ? null : hold.roles().get(0);
    if (role != null) body.put("role", role);
    if (hold != null && hold.id() != null) body.put("waitId", hold.id());
    act(role, status.rolloutId(), "decide", body, "decided " + choice.toLowerCase());
  }

  /** The wait's id (each wait has its own); for a rollout started before wait ids, its phase and kind. */
  private static String waitKey(RolloutStatus status, WaitingFor waiting) {
    return waiting.id() != null ? waiting.id() : status.phaseIndex() + "/" + waiting.kind() + "/" + waiting.item();
  }

  /** Acts as the person at the terminal; auto-approvals as one demo person per role (quorums need distinct people). */
  private void act(String role, String id, String action, Map<String, Object> body, String done) {
    String user = autoApprove && role != null ? DemoPeople.approverFor(role) : terminal.user();
    try {
      new ApiClient(api, people.tokenOf(user)).post(RolloutPaths.action(id, action), body);
      say(done + " (as " + user + ")");
    } catch (CliException refused) {
      if (refused.exitCode() != ExitCodes.REFUSED) throw refused;
      say("the rollout refused: " + refused.getMessage());
    }
  }

  private String ask(String question, String... answers) {
    while (true) {
      terminal.out().print(">> " + question);
      terminal.out().flush();
      String line;
      try {
        line = terminal.in().readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (line == null) {
        throw new CliException(ExitCodes.USAGE,
            "no answer: the input has ended. Run `./rollout demo --auto-approve` where nobody can answer.");
      }
      String answer = line.strip().toLowerCase();
      for (String a : answers) if (!answer.isEmpty() && answer.startsWith(a)) return a;
      terminal.out().println("   please answer " + String.join(" or ", answers));
    }
  }

  private static Map<String, Object> body(String key, Object value, String comment) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(key, value);
    if (comment != null) body.put("comment", comment);
    return body;
  }

  private void say(String line) {
    terminal.out().println("         " + line);
    terminal.out().flush();
  }
}
