package dev.rollout.rehearsal;

import java.time.Instant;

/**
 * One activity call a rehearsal saw, in the order they ran.
 *
 * @param activity the concern: {@code traffic}, {@code flags}, {@code deploy}, {@code database},
 *     {@code health}, {@code metrics}, {@code notification}
 * @param method the activity method, e.g. {@code setWeight}
 * @param subject what the call acts on, as the plan names it (a router, flag store, workload,
 *     database or notifier; a health check's URL), or null when it acts on no one thing
 * @param args a short human summary of the arguments, e.g. {@code main 25%}
 * @param at the workflow (simulated) time the attempt was scheduled
 * @param attempt 1 for the first try, more for retries
 * @param error null when the call succeeded, else the scripted failure
 */
public record Call(String activity, String method, String subject, String args, Instant at, int attempt, String error) {

  /** A call that acts on no one thing. */
  public Call(String activity, String method, String args, Instant at, int attempt, String error) {
    this(activity, method, null, args, at, attempt, error);
  }

  public boolean failed() {
    return error != null;
  }

  /** {@code traffic.setWeight(main 25%)}: how tests and the CLI print a call. */
  public String brief() {
    return activity + "." + method + "(" + args + ")";
  }

  @Override
  public String toString() {
    return at + " " + brief() + (attempt > 1 ? " attempt " + attempt : "") + (error == null ? "" : " FAILED: " + error);
  }
}
