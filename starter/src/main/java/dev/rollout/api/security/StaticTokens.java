package dev.rollout.api.security;

import dev.rollout.api.security.SecuritySettings.Token;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Static API tokens (for CI and small teams). The server keeps only their SHA-256: a token is
 * 32 random bytes, so a plain hash is as strong as a slow one and costs nothing per request.
 * Answers null (not mine) for a token it does not know, so a JWT provider may try next.
 */
public final class StaticTokens implements AuthenticationProvider {
  /** Every token this project mints starts with this, so a leaked one is easy to scan for. */
  public static final String PREFIX = "rot_";

  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<String, Token> byHash = new HashMap<>();

  public StaticTokens(Map<String, Token> tokens) {
    tokens.forEach((name, t) -> {
      if (t.sha256() == null || !t.sha256().strip().matches("(?i)[0-9a-f]{64}")) {
        throw new IllegalArgumentException("rollout.security.tokens." + name + ".sha256: not a hex SHA-256 (64 hex digits)");
      }
      if (t.principal() == null || t.principal().isBlank()) {
        throw new IllegalArgumentException("rollout.security.tokens." + name + ".principal: missing");
      }
      byHash.put(t.sha256().strip().toLowerCase(Locale.ROOT), t);
    });
  }

  /**
   * The configured tokens plus, when {@code metricsTokenFile} is set, the scraper's token read
   * from that file (principal {@code prometheus}, metrics only). A missing or short file stops
   * the start: a scrape that silently gets 401 is worse.
   */
  public static Map<String, Token> withMetricsToken(Map<String, Token> tokens, String metricsTokenFile) {
    if (metricsTokenFile == null || metricsTokenFile.isBlank()) return tokens;
    String token;
    try {
      token = java.nio.file.Files.readString(java.nio.file.Path.of(metricsTokenFile)).strip();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("rollout.security.metrics-token-file: cannot read " + metricsTokenFile, e);
    }
    if (token.length() < 24) {
      throw new IllegalStateException("rollout.security.metrics-token-file: " + metricsTokenFile
          + " holds no token of at least 24 characters (make one with `openssl rand -base64 32`)");
    }
    Map<String, Token> all = new HashMap<>(tokens);
    all.put("metrics-token-file", new Token("prometheus", java.util.List.of(), sha256(token), true));
    return all;
  }

  /** A new random token (give it to its owner; configure only {@link #sha256} of it). */
  public static String mint() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = ((BearerTokenAuthenticationToken) authentication).getToken();
    Token known = byHash.get(sha256(token));
    return known == null ? null : new Caller(known.principal(), known.groups(), "token", known.scrapesOnly());
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
