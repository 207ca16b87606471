package dev.rollout.api.security;

import dev.rollout.api.security.SecuritySettings.AccessRule;
import dev.rollout.api.security.SecuritySettings.Permission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The server's answer to "may this caller do this to these targets, and as which roles?", from
 * the access rules alone: nothing the request or the plan says widens it. A rollout with several
 * targets needs the permission on every one of them.
 */
public final class AccessPolicy {
  /** Any role: the role list of a rule that holds them all. */
  public static final String ANY_ROLE = "*";

  private final List<AccessRule> rules;

  public AccessPolicy(Collection<AccessRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public boolean allows(Caller caller, Permission permission, List<String> targets) {
    return !targets.isEmpty()
        && targets.stream().allMatch(t -> rulesFor(caller, t).stream().anyMatch(r -> r.actions().contains(permission)));
  }

  /** The roles the caller holds on every one of {@code targets}; {@code [*]} when any. */
  public List<String> roles(Caller caller, List<String> targets) {
    TreeSet<String> common = null;
    for (String target : targets) {
      TreeSet<String> here = new TreeSet<>();
      for (AccessRule r : rulesFor(caller, target)) {
        for (String role : r.roles()) here.add(roleKey(role));
      }
      if (here.contains(ANY_ROLE)) here = new TreeSet<>(List.of(ANY_ROLE));
      if (common == null) {
        common = here;
      } else if (common.contains(ANY_ROLE)) {
        common = here;
      } else if (!here.contains(ANY_ROLE)) {
        common.retainAll(here);
      }
    }
    return common == null ? List.of() : new ArrayList<>(common);
  }

  /** True when the caller may act as {@code role} on every one of {@code targets}. */
  public boolean holdsRole(Caller caller, String role, List<String> targets) {
    List<String> held = roles(caller, targets);
    return held.contains(ANY_ROLE) || held.contains(roleKey(role));
  }

  private List<AccessRule> rulesFor(Caller caller, String target) {
    return rules.stream().filter(r -> matchesSubject(r, caller) && matchesTarget(r, target)).toList();
  }

  private static boolean matchesSubject(AccessRule rule, Caller caller) {
    for (String s : rule.subjects()) {
      String subject = s.strip();
      if (subject.equals("*")) return true;
      if (subject.regionMatches(true, 0, "group:", 0, 6)) {
        if (caller.groups().contains(Principals.canonical(subject.substring(6)))) return true;
      } else if (Principals.canonical(subject.startsWith("user:") ? subject.substring(5) : subject)
          .equals(caller.principal())) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesTarget(AccessRule rule, String target) {
    for (String glob : rule.targets()) {
      if (glob(glob.strip()).matcher(target.toLowerCase(Locale.ROOT)).matches()) return true;
    }
    return false;
  }

  /** {@code *} any run of characters, {@code ?} one; everything else literal, case-insensitive. */
  static Pattern glob(String glob) {
    if (glob.equals("*")) return Pattern.compile(".*");
    StringBuilder re = new StringBuilder();
    for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  /** Roles compare like principals: "Product Manager" and "product manager" are one role. */
  public static String roleKey(String role) {
    return role.equals(ANY_ROLE) ? ANY_ROLE : Principals.canonical(role);
  }
}
