package dev.rollout.plan;

import java.util.Set;
import java.util.regex.Pattern;

/** Run and http steps: one thing to run, a name the worker can look up, a URL, a secret's name. */
final class RunbookChecks {
  private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern CONFIG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private RunbookChecks() {}

  static void run(CheckContext c, Step.Run run, String p) {
    runnable(c, run.command(), run.job(), p);
    if (run.undo() != null) runnable(c, run.undo().command(), run.undo().job(), p + ".undo");
    c.positive(run.timeout(), p + ".timeout");
  }

  private static void runnable(CheckContext c, String command, Step.Run.Job job, String p) {
    if (command == null && job == null) {
      c.problem(p, "a run step needs a command (an id the worker allows) or a job");
      return;
    }
    if (command != null && job != null) {
      c.problem(p + ".job", "a run step has a command or a job, not both");
      return;
    }
    if (command != null && !COMMAND_ID.matcher(command).matches()) {
      c.problem(p + ".command", "'" + command + "' is not a command id: the plan names a command the worker's"
          + " configuration allows (e.g. rollback-script); the program and its arguments live there, never in a plan");
    }
    if (job != null) {
      c.required(job.namespace(), p + ".job.namespace");
      c.required(job.image(), p + ".job.image");
    }
  }

  static void http(CheckContext c, Step.Http h, String p) {
    ResourceChecks.url(c, h.url(), p + ".url");
    method(c, h.method(), p + ".method");
    status(c, h.expectStatus(), p + ".expectStatus");
    if (h.secretHeader() != null) {
      c.required(h.secretHeader().header(), p + ".secretHeader.header");
      String secret = h.secretHeader().secret();
      if (c.required(secret, p + ".secretHeader.secret") && !CONFIG_NAME.matcher(secret).matches()) {
        c.problem(p + ".secretHeader.secret", "must name a configuration entry (e.g. ADMIN_API_TOKEN), not hold the secret itself");
      }
    }
    if (h.undo() != null) {
      ResourceChecks.url(c, h.undo().url(), p + ".undo.url");
      method(c, h.undo().method(), p + ".undo.method");
      status(c, h.undo().expectStatus(), p + ".undo.expectStatus");
    }
    c.positive(h.timeout(), p + ".timeout");
  }

  private static void method(CheckContext c, String method, String path) {
    if (!METHODS.contains(method)) c.problem(path, "'" + method + "' is not one of GET, POST, PUT, PATCH, DELETE");
  }

  private static void status(CheckContext c, int status, String path) {
    if (status < 100 || status > 599) c.problem(path, status + " is not an HTTP status (100-599)");
  }
}
