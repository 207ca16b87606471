package dev.rollout.plan;

import com.fasterxml.jackson.core.JsonLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of one plan file, each placed at its line and column. Once a field is
 * reported it is silenced: later checks on it or inside it stay quiet, so one mistake is reported
 * once (a wrongly typed required field is not also reported as missing).
 */
final class Problems {
  private final String source;
  private final LocatedTree tree;
  private final List<Problem> found = new ArrayList<>();
  private final List<String> silenced = new ArrayList<>();

  Problems(String source, LocatedTree tree) {
    this.source = source;
    this.tree = tree;
  }

  /** A problem with the value at {@code path}. */
  void at(String path, String message) {
    add(path, tree == null ? null : tree.valueAt(path), message);
  }

  /** A problem with the field at {@code path} itself (an unknown or repeated key). */
  void atKey(String path, String message) {
    add(path, tree == null ? null : tree.keyAt(path), message);
  }

  /** A required field that is absent; placed at the mapping that should hold it. */
  void missing(String path) {
    String name = path.substring(Math.max(path.lastIndexOf('.'), path.lastIndexOf('[')) + 1);
    at(path, "missing required field '" + name + "'");
  }

  /** A problem with the file as a whole, at a known location (or 1:1). */
  void inFile(JsonLocation at, String message) {
    found.add(new Problem(source, at == null ? 1 : line(at), at == null ? 1 : column(at), "", message));
  }

  /** Nothing more is reported at or inside {@code path} (it was cut out of the tree). */
  void silence(String path) {
    if (!path.isEmpty()) silenced.add(path);
  }

  /** True when a problem was already reported at {@code path} or around it. */
  boolean isSilenced(String path) {
    return silenced.stream().anyMatch(quiet -> PlanPaths.within(path, quiet));
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  List<Problem> sorted() {
    List<Problem> list = new ArrayList<>(found);
    list.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    return list;
  }

  private void add(String path, JsonLocation at, String message) {
    if (isSilenced(path)) return;
    if (!path.isEmpty()) silenced.add(path);
    found.add(new Problem(source, at == null ? 0 : line(at), at == null ? 0 : column(at), path, message));
  }

  private static int line(JsonLocation at) {
    return Math.max(at.getLineNr(), 0);
  }

  private static int column(JsonLocation at) {
    return Math.max(at.getColumnNr(), 0);
  }
}
