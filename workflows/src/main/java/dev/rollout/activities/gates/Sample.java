package dev.rollout.activities.gates;

import java.time.Instant;

/** One value of a metric at one moment, in the metric's own unit. */
public record Sample(Instant at, double value) {}
