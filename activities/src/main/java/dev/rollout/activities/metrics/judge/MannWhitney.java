package dev.rollout.activities.metrics.judge;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum), two-sided, computed as SciPy's {@code mannwhitneyu}
 * does by default: the exact distribution when one sample has at most 8 values and nothing ties,
 * otherwise the normal approximation with tie and continuity corrections.
 */
public final class MannWhitney {
  private static final int EXACT_MAX = 8;
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  private MannWhitney() {}

  /**
   * @param u U of the first sample: how many (x, y) pairs have x above y, ties counting half
   * @param pValue two-sided: how likely a difference this large is if both come from one distribution
   * @param shift the Hodges-Lehmann estimate of x minus y: the median of all pairwise differences
   */
  public record Result(double u, double pValue, double shift, boolean exact) {}

  public static Result test(double[] x, double[] y) {
    int n1 = x.length;
    int n2 = y.length;
    if (n1 == 0 || n2 == 0) throw new IllegalArgumentException("both samples need values");
    double[] all = new double[n1 + n2];
    System.arraycopy(x, 0, all, 0, n1);
    System.arraycopy(y, 0, all, n1, n2);
    Ranks ranks = Ranks.of(all);
    double r1 = 0;
    for (int i = 0; i < n1; i++) r1 += ranks.rank()[i];
    double u1 = r1 - n1 * (n1 + 1) / 2.0;
    double uMax = Math.max(u1, (double) n1 * n2 - u1);
    boolean exact = Math.min(n1, n2) <= EXACT_MAX && ranks.tieTerm() == 0;
    double p = exact ? exactP(uMax, n1, n2) : asymptoticP(uMax, n1, n2, ranks.tieTerm());
    return new Result(u1, Math.min(1, p), hodgesLehmann(x, y), exact);
  }

  /** 2 P(U >= uMax) from the exact null distribution of U. */
  static double exactP(double uMax, int n1, int n2) {
    double[] counts = countsOfU(Math.min(n1, n2), Math.max(n1, n2));
    double total = 0;
    double atLeast = 0;
    for (int u = 0; u < counts.length; u++) {
      total += counts[u];
      if (u >= uMax) atLeast += counts[u];
    }
    return 2 * atLeast / total;
  }

  /**
   * How many orderings give each U: the coefficients of the Gaussian binomial [m+n choose m]_q,
   * built as the product over i of (1 - q^(n+i)) / (1 - q^i).
   */
  static double[] countsOfU(int m, int n) {
    double[] c = new double[m * n + 1];
    c[0] = 1;
    for (int i = 1; i <= m; i++) {
      for (int k = c.length - 1; k >= n + i; k--) c[k] -= c[k - n - i];
      for (int k = i; k < c.length; k++) c[k] += c[k - i];
    }
    return c;
  }

  static double asymptoticP(double uMax, int n1, int n2, double tieTerm) {
    double n = n1 + n2;
    double sd = Math.sqrt(n1 * (double) n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1))));
    if (sd == 0) return 1;
    double z = (uMax - n1 * (double) n2 / 2 - 0.5) / sd;
    return 2 * (1 - NORMAL.cumulativeProbability(z));
  }

  static double hodgesLehmann(double[] x, double[] y) {
    double[] differences = new double[x.length * y.length];
    int k = 0;
    for (double a : x) for (double b : y) differences[k++] = a - b;
    return median(differences);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
