package dev.rollout.api.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * An authenticated caller: a canonical principal, the groups the directory says it belongs to,
 * and how it proved it ({@code token} or {@code oidc}). Roles are not here: they come from the
 * access configuration, per target ({@link AccessPolicy}). Its one authority says what it may
 * call at all: {@link #API} (everything the access rules allow) or {@link #METRICS} (a scraper:
 * {@code /actuator/prometheus} only).
 */
public final class Caller extends AbstractAuthenticationToken {
  private final String principal;
  private final Set<String> groups;
  private final String via;

  public static final String API = "API";
  public static final String METRICS = "METRICS";

  public Caller(String principal, Collection<String> groups, String via) {
    this(principal, groups, via, false);
  }

  public Caller(String principal, Collection<String> groups, String via, boolean metricsOnly) {
    super(AuthorityUtils.createAuthorityList(metricsOnly ? METRICS : API));
    this.principal = Principals.canonical(principal);
    TreeSet<String> g = new TreeSet<>();
    if (groups != null) groups.forEach(x -> g.add(Principals.canonical(x)));
    this.groups = Set.copyOf(g);
    this.via = via;
    setAuthenticated(true);
  }

  public String principal() {
    return principal;
  }

  public Set<String> groups() {
    return groups;
  }

  public String via() {
    return via;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return principal;
  }

  @Override
  public String getName() {
    return principal;
  }

  @Override
  public String toString() {
    return "Caller[" + principal + " groups=" + List.copyOf(groups) + " via " + via + "]";
  }
}
