package dev.rollout.plan;

import java.time.Instant;

/** A deny window: no phase starts or runs its steps between {@code from} and {@code to}. */
public record Freeze(Instant from, Instant to, String reason) {}
