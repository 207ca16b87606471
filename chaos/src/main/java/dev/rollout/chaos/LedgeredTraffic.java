package dev.rollout.chaos;

import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.Router;
import java.util.Locale;

/** The real traffic activities; every weight set is written to the ledger once it is in force. */
final class LedgeredTraffic implements TrafficActivities {

  private final TrafficActivities real;
  private final Ledger ledger;

  LedgeredTraffic(TrafficActivities real, Ledger ledger) {
    this.real = real;
    this.ledger = ledger;
  }

  @Override
  public double currentWeight(String rolloutId, String router, Router spec) {
    return real.currentWeight(rolloutId, router, spec);
  }

  @Override
  public void setWeight(String rolloutId, String router, Router spec, double percent) {
    real.setWeight(rolloutId, router, spec, percent);
    ledger.record(rolloutId, "router " + router, "setWeight", format(percent));
  }

  /** How the ledger writes a weight: {@code 25} for 25.0. */
  static String format(double percent) {
    return percent == Math.rint(percent) ? Long.toString((long) percent) : String.format(Locale.ROOT, "%s", percent);
  }
}
