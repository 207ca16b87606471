package dev.rollout.activities.metrics.scrape;

import dev.rollout.activities.metrics.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scrapes of one endpoint kept in memory, newest last, so sustained checks and rates work
 * without Prometheus. Bounded by age, by count and by lines kept (a worker watching thousands of
 * services on one endpoint keeps thousands of lines a scrape: the line budget bounds its heap, at
 * the price of a shorter history); only the lines queries asked for are kept.
 *
 * <p>Each scrape is indexed by metric name and by every name, label and value, so a selector finds
 * its series without scanning the scrape: a check costs the same whether the endpoint serves ten
 * services or ten thousand.
 */
final class SampleHistory {
  /** One scrape's lines, indexed; build it once, outside any lock. */
  record Scrape(Instant at, List<Exposition.Line> lines, Map<Object, List<Exposition.Line>> index) {
    Scrape(Instant at, List<Exposition.Line> lines) {
      this(at, lines, indexOf(lines));
    }

    /** The lines a selector matches: looked up by its name or its first label, then filtered. */
    List<Exposition.Line> matching(ScrapeQuery.Selector selector) {
      List<Exposition.Line> candidates = selector.labels().isEmpty()
          ? index.get(selector.name())
          : index.get(first(selector));
      if (candidates == null) return List.of();
      if (selector.labels().size() <= 1) return candidates;
      List<Exposition.Line> matching = new ArrayList<>();
      for (Exposition.Line line : candidates) if (selector.matches(line)) matching.add(line);
      return matching;
    }

    private static LabelKey first(ScrapeQuery.Selector selector) {
      Map.Entry<String, String> label = selector.labels().entrySet().iterator().next();
      return new LabelKey(selector.name(), label.getKey(), label.getValue());
    }

    private static Map<Object, List<Exposition.Line>> indexOf(List<Exposition.Line> lines) {
      Map<Object, List<Exposition.Line>> index = new HashMap<>();
      for (Exposition.Line line : lines) {
        index.computeIfAbsent(line.name(), k -> new ArrayList<>(1)).add(line);
        line.labels().forEach((key, value) ->
            index.computeIfAbsent(new LabelKey(line.name(), key, value), k -> new ArrayList<>(1)).add(line));
      }
      return index;
    }
  }

  /** A series' name with one of its labels. */
  private record LabelKey(String name, String label, String value) {}

  /** Oldest first. */
  private final List<Scrape> scrapes = new ArrayList<>();
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
    scrapes.add(scrape);
    lines += scrape.lines().size();
    int drop = 0;
    while (scrapes.size() - drop > 1 && (scrapes.size() - drop > maxScrapes || lines > maxLines
        || scrapes.get(drop).at().isBefore(scrape.at().minus(maxAge)))) {
      lines -= scrapes.get(drop++).lines().size();
    }
    if (drop > 0) scrapes.subList(0, drop).clear();
  }

  synchronized Instant lastAt() {
    return scrapes.isEmpty() ? Instant.MIN : scrapes.get(scrapes.size() - 1).at();
  }

  synchronized int size() {
    return scrapes.size();
  }

  /**
   * The query's value at every scrape since {@code from}, and at the last one before it (the value
   * in force at {@code from}, as Prometheus reads it); scrapes where it has none are left out.
   */
  synchronized List<Sample> evaluate(ScrapeQuery query, Instant from) {
    List<Scrape> all = scrapes;
    List<Sample> samples = new ArrayList<>();
    for (int i = firstInForce(from); i < all.size(); i++) {
      double v = valueAt(query, all, i);
      if (!Double.isNaN(v)) samples.add(new Sample(all.get(i).at(), v));
    }
    return samples;
  }

  /** The index of the last scrape at or before {@code from} (0 when none is): a binary search. */
  private int firstInForce(Instant from) {
    int low = 0;
    int high = scrapes.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (scrapes.get(mid).at().isAfter(from)) high = mid - 1;
      else low = mid;
    }
    return low;
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
    for (Exposition.Line line : scrape.matching(selector)) {
      total += line.value();
      any = true;
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
