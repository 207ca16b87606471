package dev.rollout.api.security;

import dev.rollout.api.security.SecuritySettings.Oidc;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * OIDC/JWT bearer tokens: signature checked against the issuer's JWKS, {@code iss}, {@code exp}
 * (required) and {@code nbf} (and {@code aud} when configured) validated; the person and their
 * groups read from the configured claims. A token naming nobody, or a person in look-alike
 * characters ({@link Principals#lookAlike}), is refused (401); a look-alike group is ignored.
 */
final class OidcTokens {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OidcTokens.class);

  private OidcTokens() {}

  static JwtAuthenticationProvider provider(Oidc oidc) {
    NimbusJwtDecoder decoder =
        oidc.jwksUri() != null && !oidc.jwksUri().isBlank()
            ? NimbusJwtDecoder.withJwkSetUri(oidc.jwksUri()).build()
            : NimbusJwtDecoder.withIssuerLocation(oidc.issuer()).build();
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(JwtValidators.createDefaultWithIssuer(oidc.issuer()));
    // The default checks exp only when present: a token without one would act for ever once leaked.
    validators.add(jwt -> jwt.getExpiresAt() != null
        ? OAuth2TokenValidatorResult.success()
        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "the token has no expiry (exp)", null)));
    if (oidc.audience() == null || oidc.audience().isBlank()) {
      LOG.warn("rollout.security.oidc.audience is not set: any token {} issued, for any application, is accepted"
          + " here; set the audience this API's tokens carry", oidc.issuer());
    } else {
      validators.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(oidc.audience())
          ? OAuth2TokenValidatorResult.success()
          : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "the token is not for audience " + oidc.audience(), null)));
    }
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    return provider(decoder, oidc);
  }

  static JwtAuthenticationProvider provider(JwtDecoder decoder, Oidc oidc) {
    JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
    String principalClaim = blankOr(oidc.principalClaim(), "preferred_username");
    String groupsClaim = blankOr(oidc.groupsClaim(), "groups");
    provider.setJwtAuthenticationConverter(jwt -> {
      String who = jwt.getClaimAsString(principalClaim);
      if (who == null || who.isBlank()) who = jwt.getSubject();
      // Groups alone never act: every action and the four-eyes rule need a person.
      if (who == null || who.isBlank()) refuse("the token names nobody (no " + principalClaim + ", no sub)");
      refuseLookAlike(principalClaim, who);
      // A look-alike group grants nothing (it would fold onto a real one); the person keeps the others.
      List<String> groups = new ArrayList<>();
      for (String group : groups(jwt.getClaim(groupsClaim))) {
        String why = Principals.lookAlike(group);
        if (why == null) {
          groups.add(group);
        } else {
          LOG.warn("ignored a group of {} from the token's {} claim: it {}", Principals.canonical(who), groupsClaim, why);
        }
      }
      return new Caller(who, groups, "oidc");
    });
    return provider;
  }

  private static void refuseLookAlike(String claim, String name) {
    String why = Principals.lookAlike(name);
    if (why != null) refuse("the token's " + claim + " " + why);
  }

  private static void refuse(String why) {
    throw new InvalidBearerTokenException(why);
  }

  /** A list claim, or a space- or comma-separated string (both are seen in the wild). */
  static List<String> groups(Object claim) {
    if (claim instanceof Collection<?> c) return c.stream().map(String::valueOf).toList();
    if (claim instanceof String s && !s.isBlank()) return List.of(s.split("[\\s,]+"));
    return List.of();
  }

  private static String blankOr(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
