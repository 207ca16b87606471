package dev.rollout.api.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter;

/**
 * Every request but the health check and the dashboard's static files needs a bearer token: a static API token or an OIDC JWT.
 * No sessions, no cookies, no form or basic login: a web page an operator happens to open cannot
 * act with their credentials, so CSRF protection has nothing to protect and is off.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
public class ApiSecurityConfiguration {
  /** Script, style and requests from this origin only; no plugins, frames, base or form targets elsewhere. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  @Bean
  AccessPolicy accessPolicy(SecuritySettings settings, org.springframework.core.env.Environment environment) {
    SettingsTypos.check(environment);
    return new AccessPolicy(settings.access().values());
  }

  @Bean
  ApprovalFloors approvalFloors(SecuritySettings settings) {
    return new ApprovalFloors(settings.floors());
  }

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, SecuritySettings settings) throws Exception {
    AuthenticationManager tokens = tokenManager(settings);
    http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(r -> r.disable())
        .anonymous(a -> a.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // The dashboard keeps the token in the tab: should anything ever slip past its escaping, the
        // browser still runs only the page's own script file and talks only to this origin.
        .headers(h -> h
            .contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
            .referrerPolicy(r -> r.policy(org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
        .authorizeHttpRequests(a -> a
            .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
            // the dashboard's static files hold no data; everything they show comes from the API with a token
            .requestMatchers(org.springframework.http.HttpMethod.GET, "/", "/index.html", "/dashboard.js", "/dashboard.css")
            .permitAll()
            // a scraper's token (metrics only) reads metrics; every other token reads them too
            .requestMatchers(org.springframework.http.HttpMethod.GET, "/actuator/prometheus")
            .hasAnyAuthority(Caller.API, Caller.METRICS)
            .anyRequest().hasAuthority(Caller.API))
        .oauth2ResourceServer(o -> o
            .authenticationManagerResolver(request -> tokens)
            .authenticationEntryPoint(ApiSecurityConfiguration::unauthorized))
        .exceptionHandling(e -> e
            .authenticationEntryPoint(ApiSecurityConfiguration::unauthorized)
            .accessDeniedHandler((req, res, ex) ->
                Problems.write(res, 403, "forbidden", "Forbidden", ex.getMessage())))
        .addFilterBefore(new RequestLimits(settings.limits().maxBody().toBytes()), WebAsyncManagerIntegrationFilter.class)
        .addFilterAfter(new RateLimits(settings.limits().requestsPerMinute()), BearerTokenAuthenticationFilter.class);
    return http.build();
  }

  private static AuthenticationManager tokenManager(SecuritySettings settings) {
    List<AuthenticationProvider> providers = new ArrayList<>();
    providers.add(new StaticTokens(StaticTokens.withMetricsToken(settings.tokens(), settings.metricsTokenFile())));
    if (settings.oidc() != null && settings.oidc().enabled()) {
      providers.add(OidcTokens.provider(settings.oidc()));
    }
    ProviderManager manager = new ProviderManager(providers);
    manager.setEraseCredentialsAfterAuthentication(true);
    return manager;
  }

  private static void unauthorized(
      jakarta.servlet.http.HttpServletRequest request,
      jakarta.servlet.http.HttpServletResponse response,
      AuthenticationException e) throws java.io.IOException {
    response.setHeader("WWW-Authenticate", "Bearer");
    String header = request.getHeader("Authorization");
    String detail = header == null || header.isBlank()
        ? "no credentials: send `Authorization: Bearer <token>` (the CLI reads ROLLOUT_TOKEN or ~/.config/rollout/token)"
        : "the bearer token was refused (unknown, expired, or from another issuer)";
    Problems.write(response, 401, "unauthenticated", "Unauthenticated", detail);
  }

}
