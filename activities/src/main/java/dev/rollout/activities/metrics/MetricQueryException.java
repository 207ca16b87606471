package dev.rollout.activities.metrics;

/**
 * A metric source could not answer. {@link #badQuery()} says asking again cannot help (the source
 * rejected the query, or its answer cannot be used); otherwise the source was unreachable or busy.
 */
public class MetricQueryException extends RuntimeException {
  private final boolean badQuery;

  private MetricQueryException(String message, boolean badQuery, Throwable cause) {
    super(message, cause);
    this.badQuery = badQuery;
  }

  public static MetricQueryException badQuery(String message) {
    return new MetricQueryException(message, true, null);
  }

  public static MetricQueryException unavailable(String message, Throwable cause) {
    return new MetricQueryException(message, false, cause);
  }

  public boolean badQuery() {
    return badQuery;
  }
}
