package dev.rollout.api.security;

import dev.rollout.plan.Plan;
import dev.rollout.plan.PlanException;
import dev.rollout.plan.Problem;
import dev.rollout.plan.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A target's service and environment are plain names: ASCII letters, digits, '.', '_' and '-'.
 * Access rules, approval floors and target locks all key on them, so "production " (a trailing
 * blank), "ｐｒｏｄｕｃｔｉｏｎ" (full-width) or "production" with a zero-width space would each be a
 * new environment no floor names, while a scope glob such as {@code checkout/*} still lets the plan
 * reach production's resources. Refused at start (422, field and line).
 */
public final class TargetNames {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private TargetNames() {}

  /** Throws a {@link PlanException} naming every target whose service or environment is not a plain name. */
  public static void check(Plan plan, String text, String source) {
    List<Problem> problems = new ArrayList<>();
    List<Target> targets = plan.targets();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      if (t == null) continue;
      check(problems, text, source, "targets[" + i + "].service", t.service());
      check(problems, text, source, "targets[" + i + "].environment", t.environment());
    }
    if (!problems.isEmpty()) throw new PlanException(problems);
  }

  private static void check(List<Problem> problems, String text, String source, String field, String name) {
    if (name == null || PLAIN.matcher(name).matches()) return;
    int line = lineOf(text, name);
    problems.add(new Problem(source, line, line == 0 ? 0 : 1, field,
        "'" + printable(name) + "' is not a plain name: use ASCII letters, digits, '.', '_' and '-' (access rules, "
            + "approval floors and target locks compare names as written, so a look-alike would escape them)"));
  }

  /** The name with anything invisible shown as its code point, so the person sees what is wrong. */
  private static String printable(String name) {
    StringBuilder b = new StringBuilder();
    name.codePoints().forEach(c -> {
      if (c >= 0x21 && c <= 0x7e) b.appendCodePoint(c);
      else b.append(String.format(java.util.Locale.ROOT, "\\u%04X", c));
    });
    return b.toString();
  }

  private static int lineOf(String text, String value) {
    if (text == null || value.isBlank()) return 0;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) if (lines[i].contains(value)) return i + 1;
    return 0;
  }
}
