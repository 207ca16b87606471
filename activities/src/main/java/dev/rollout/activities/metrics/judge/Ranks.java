package dev.rollout.activities.metrics.judge;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ranks from 1, ties sharing their average rank, and the tie term sum(t^3 - t) over groups of t
 * equal values that the normal approximation corrects for.
 */
record Ranks(double[] rank, double tieTerm) {

  static Ranks of(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] rank = new double[values.length];
    double tieTerm = 0;
    int start = 0;
    while (start < order.length) {
      int end = start;
      while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) end++;
      double shared = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) rank[order[k]] = shared;
      double t = end - start + 1;
      tieTerm += t * t * t - t;
      start = end + 1;
    }
    return new Ranks(rank, tieTerm);
  }
}
