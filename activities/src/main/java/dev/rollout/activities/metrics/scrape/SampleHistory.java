package dev.rollout.activities.metrics.scrape;

import dev.rollout.activities.gates.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The scrapes of one endpoint kept in memory, newest last, so sustained checks and rates work
 * without Prometheus. Bounded by age, by count and by lines kept (a worker watching thousands of
 * services on one endpoint keeps thousands of lines a scrape: the line budget bounds its heap, at
 * the price of a shorter history); only the lines queries asked for are kept.
 */
final class SampleHistory {
  record Scrape(Instant at, List<Exposition.Line> lines) {}

  private final Deque<Scrape> scrapes = new ArrayDeque<>();
  private final Duration maxAge;
  private final int maxScrapes;
  private final long maxLines;
  private long lines;

  SampleHistory(Duration maxAge, int maxScrapes) {
    this(maxAge, maxScrapes, Long.MAX_VALUE);
  }

  SampleHistory(Duration maxAge, int maxScrapes, long maxLines) {
    this.maxAge = maxAge;
    this.maxScrapes = maxScrapes;
    this.maxLines = maxLines;
  }

  synchronized void add(Scrape scrape) {
    scrapes.addLast(scrape);
    lines += scrape.lines().size();
    while (scrapes.size() > 1 && (scrapes.size() > maxScrapes || lines > maxLines
        || scrapes.getFirst().at().isBefore(scrape.at().minus(maxAge)))) {
      lines -= scrapes.removeFirst().lines().size();
    }
  }

  synchronized Instant lastAt() {
    return scrapes.isEmpty() ? Instant.MIN : scrapes.getLast().at();
  }

  synchronized int size() {
    return scrapes.size();
  }

  /**
   * The query's value at every scrape since {@code from}, and at the last one before it (the value
   * in force at {@code from}, as Prometheus reads it); scrapes where it has none are left out.
   */
  synchronized List<Sample> evaluate(ScrapeQuery query, Instant from) {
    List<Scrape> all = List.copyOf(scrapes);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (i + 1 < all.size() && !all.get(i + 1).at().isAfter(from)) continue;
      double v = valueAt(query, all, i);
      if (!Double.isNaN(v)) samples.add(new Sample(all.get(i).at(), v));
    }
    return samples;
  }

  static double valueAt(ScrapeQuery query, List<Scrape> all, int i) {
    if (query instanceof ScrapeQuery.Selector s) return sum(s, all.get(i));
    if (query instanceof ScrapeQuery.Rate r) return rate(r, all, i);
    ScrapeQuery.Ratio ratio = (ScrapeQuery.Ratio) query;
    double denominator = valueAt(ratio.denominator(), all, i);
    return denominator == 0 ? Double.NaN : valueAt(ratio.numerator(), all, i) / denominator;
  }

  /** Every matching series summed; NaN when none matches. */
  private static double sum(ScrapeQuery.Selector selector, Scrape scrape) {
    double total = 0;
    boolean any = false;
    for (Exposition.Line line : scrape.lines()) {
      if (selector.matches(line)) {
        total += line.value();
        any = true;
      }
    }
    return any ? total : Double.NaN;
  }

  /** Per-second increase over the window ending at scrape {@code i}; a counter reset restarts from 0. */
  private static double rate(ScrapeQuery.Rate rate, List<Scrape> all, int i) {
    Instant end = all.get(i).at();
    int first = i;
    while (first > 0 && !all.get(first - 1).at().isBefore(end.minus(rate.window()))) first--;
    double increase = 0;
    double previous = Double.NaN;
    Instant since = null;
    for (int k = first; k <= i; k++) {
      double v = sum(rate.counter(), all.get(k));
      if (Double.isNaN(v)) continue;
      if (since == null) since = all.get(k).at();
      else increase += v >= previous ? v - previous : v;
      previous = v;
    }
    if (since == null || !since.isBefore(end)) return Double.NaN;
    return increase / (Duration.between(since, end).toMillis() / 1000.0);
  }
}
