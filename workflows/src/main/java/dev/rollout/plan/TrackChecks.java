package dev.rollout.plan;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A metric's placeholders and tracks, and the gates that compare the canary with the stable:
 * {@code ${track}} needs {@code tracks} to fill it, {@code tracks} need a {@code ${track}} to go
 * into, and {@code relativeTo: stable} needs both.
 */
final class TrackChecks {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  /** What the worker fills in; anything else would reach the source as written. */
  static final List<String> KNOWN = List.of("service", "environment", "track");

  private TrackChecks() {}

  /** A metric's query placeholders and its tracks, at {@code path} ({@code metrics.<name>}). */
  static void metric(CheckContext c, MetricQuery m, String path) {
    if (m.query() != null) {
      Matcher found = PLACEHOLDER.matcher(m.query());
      while (found.find()) {
        if (!KNOWN.contains(found.group(1))) {
          c.problem(path + ".query", "unknown placeholder ${" + found.group(1) + "} (known: ${service},"
              + " ${environment}, ${track})");
        }
      }
    }
    Tracks tracks = m.tracks();
    if (tracks == null) {
      if (m.usesTrack()) {
        c.problem(path + ".query", "${track} needs the metric's tracks, the label values of the canary and"
            + " the stable, e.g. tracks: {canary: v2, stable: v1}");
      }
      return;
    }
    boolean canary = c.required(tracks.canary(), path + ".tracks.canary");
    boolean stable = c.required(tracks.stable(), path + ".tracks.stable");
    if (canary && stable && tracks.canary().equals(tracks.stable())) {
      c.problem(path + ".tracks.stable", "'" + tracks.stable() + "' is also the canary's track: the two must"
          + " differ to tell the series apart");
    }
    if (m.query() != null && !m.usesTrack()) {
      c.problem(path + ".tracks", "the query has no ${track} to put the track in: write it where the"
          + " query selects the track, e.g. {version=\"${track}\"}");
    }
  }

  /** A gate relative to the stable track reads a metric that has tracks. */
  static void gate(CheckContext c, Gate gate, MetricQuery metric, String path) {
    if (gate.relativeTo() != Baseline.STABLE || metric == null) return;
    if (metric.tracks() == null) {
      c.problem(path + ".relativeTo", "relativeTo: stable compares the canary's series with the stable's,"
          + " so metric '" + gate.metric() + "' needs tracks (e.g. tracks: {canary: v2, stable: v1}) and"
          + " ${track} in its query");
    }
  }
}
