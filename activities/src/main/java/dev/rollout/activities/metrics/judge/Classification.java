package dev.rollout.activities.metrics.judge;

/** How one metric of the canary compares with the baseline, as Kayenta names it. */
public enum Classification {
  /** The canary is significantly higher, by more than the tolerance, and higher is bad. */
  HIGH("High"),
  /** The canary is significantly lower, by more than the tolerance, and lower is bad. */
  LOW("Low"),
  PASS("Pass"),
  /** The canary or the baseline returned nothing. */
  NO_DATA("NoData");

  private final String label;

  Classification(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
