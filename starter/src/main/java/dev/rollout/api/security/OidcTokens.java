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
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * OIDC/JWT bearer tokens: signature checked against the issuer's JWKS, {@code iss}, {@code exp}
 * and {@code nbf} (and {@code aud} when configured) validated; the person and their groups read
 * from the configured claims.
 */
final class OidcTokens {
  private OidcTokens() {}

  static JwtAuthenticationProvider provider(Oidc oidc) {
    NimbusJwtDecoder decoder =
        oidc.jwksUri() != null && !oidc.jwksUri().isBlank()
            ? NimbusJwtDecoder.withJwkSetUri(oidc.jwksUri()).build()
            : NimbusJwtDecoder.withIssuerLocation(oidc.issuer()).build();
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(JwtValidators.createDefaultWithIssuer(oidc.issuer()));
    if (oidc.audience() != null && !oidc.audience().isBlank()) {
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
      return new Caller(who, groups(jwt.getClaim(groupsClaim)), "oidc");
    });
    return provider;
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
