package dev.rollout.activities.traffic;

import dev.rollout.activities.support.Failures;

/**
 * A percentage as two integer weights (stable, canary), smallest form: 10% is 9:1, 12.5% is 7:1,
 * 33.3% is 667:333 (resolution 0.1 %). Load balancers take integer weights.
 */
public record Weights(int stable, int canary) {

  private static final int SCALE = 1000;

  public static Weights of(double percent) {
    checkPercent(percent);
    int canary = (int) Math.round(percent * SCALE / 100);
    int stable = SCALE - canary;
    int gcd = gcd(stable, canary);
    return new Weights(stable / gcd, canary / gcd);
  }

  /** The canary's share in percent. */
  public double percent() {
    return stable + canary == 0 ? 0 : 100.0 * canary / (stable + canary);
  }

  public static void checkPercent(double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw Failures.badInput("traffic percent must be between 0 and 100, was " + percent);
    }
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
