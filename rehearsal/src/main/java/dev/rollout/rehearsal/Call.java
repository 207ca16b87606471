package dev.rollout.rehearsal;

import java.time.Instant;

/**
 * One activity call a rehearsal saw, in the order they ran.
 *
 * @param activity the concern: {@code traffic}, {@code flags}, {@code deploy}, {@code database},
 *     {@code health}, {@code metrics}, {@code notification}
 * @param method the activity method, e.g. {@code setWeight}
 * @param args a short human summary of the arguments, e.g. {@code main 25%}
 * @param at the workflow (simulated) time the attempt was scheduled
 * @param attempt 1 for the first try, more for retries
 * @param error null when the call succeeded, else the scripted failure
 */
public record Call(String activity, String method, String args, Instant at, int attempt, String error) {

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
