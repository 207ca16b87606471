package dev.rollout.activities.metrics;

/** Latency samples (ms) whose Mann-Whitney result SciPy gave: see judge.MannWhitneyTest. */
final class CanaryJudgeFixture {
  static final double[] SLOWER = {212, 215, 220, 209, 230, 218, 225, 219, 221, 240, 215, 226};
  static final double[] NORMAL = {200, 205, 198, 210, 202, 207, 199, 215, 204, 201, 206, 203};

  private CanaryJudgeFixture() {}
}
