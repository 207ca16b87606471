package dev.rollout.workflow;

import java.time.Instant;

/** One line of the decision log: who did what, when, and why. */
public record Decision(Instant at, String who, String what, String comment) {}
