package dev.rollout.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.rollout.api.security.SecuritySettings.Oidc;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Forged and misused OIDC tokens, the way an attacker would try them, against the provider the
 * server builds from its settings (issuer, JWKS, audience): only a token the issuer signed for this
 * API, still valid, naming a person, becomes a caller.
 */
class OidcTokenAttackTest {
  static final String ISSUER = "https://idp.oidc-attack.test";
  static final String AUDIENCE = "rollout-api";
  static final RSAKey IDP_KEY = rsaKey("idp");
  static final HttpServer JWKS = jwks();
  static final JwtAuthenticationProvider PROVIDER = OidcTokens.provider(new Oidc(ISSUER,
      "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks", AUDIENCE, null, "groups"));

  @AfterAll
  static void stop() {
    JWKS.stop(0);
  }

  @Test
  void aGoodTokenIsTheNamedPersonWithTheirGroups() {
    Caller caller = (Caller) authenticate(rs256(claims(c -> {})));
    assertThat(caller.principal()).isEqualTo("dora");
    assertThat(caller.groups()).containsExactly("sre");
    assertThat(caller.via()).isEqualTo("oidc");
  }

  @Test
  void anUnsignedTokenAlgNoneIsRefused() {
    String none = new PlainJWT(new PlainHeader(), claims(c -> {})).serialize();
    assertRefused(none);
  }

  @Test
  void aTokenMacedWithTheIssuersPublicKeyIsRefused() throws Exception {
    // The classic RS/HS confusion: HS256 keyed with the public key anyone can fetch from the JWKS.
    byte[] publicKey = IDP_KEY.toPublicJWK().toRSAPublicKey().getEncoded();
    SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(IDP_KEY.getKeyID()).build(), claims(c -> {}));
    hs.sign(new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(publicKey.length, 64))));
    assertRefused(hs.serialize());
  }

  @Test
  void aTokenSignedByAnotherKeyIsRefusedWhateverItsHeaderPointsAt() throws Exception {
    // The attacker's own key, under the issuer's kid, carried in the header (jwk) and served from
    // the attacker's URL (jku): only the configured JWKS counts.
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(IDP_KEY.getKeyID()).generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(IDP_KEY.getKeyID())
        .jwk(attacker.toPublicJWK()).jwkURL(java.net.URI.create("https://evil.test/jwks")).build(), claims(c -> {}));
    forged.sign(new RSASSASigner(attacker));
    assertRefused(forged.serialize());
  }

  @Test
  void aTokenForAnotherAudienceOrNoneIsRefused() {
    assertRefused(rs256(claims(c -> c.audience("another-app"))));
    assertRefused(rs256(claims(c -> c.audience((String) null))));
  }

  @Test
  void expiredNotYetValidAndOtherIssuersTokensAreRefused() {
    assertRefused(rs256(claims(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(120))))));
    assertRefused(rs256(claims(c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600))))));
    assertRefused(rs256(claims(c -> c.issuer("https://idp.evil.test"))));
  }

  @Test
  void aTokenThatNeverExpiresIsRefused() {
    // Signed by the issuer, but without exp: once leaked it would act for ever.
    assertRefused(rs256(claims(c -> c.expirationTime(null))));
  }

  @Test
  void aTokenNamingNobodyIsRefusedNotACallerWithoutAName() {
    // No preferred_username and no sub: groups alone must not act (the four-eyes rule counts people).
    assertRefused(rs256(claims(c -> c.subject(null).claim("preferred_username", null))));
    assertRefused(rs256(claims(c -> c.subject("  ").claim("preferred_username", " "))));
  }

  @Test
  void aLookAlikeNameIsRefusedAndALookAlikeGroupIgnoredRatherThanFoldedOntoSomeoneElses() {
    // An IdP that lets people choose "ａｌｉｃｅ" (full-width) keeps it apart from alice; folded
    // with NFKC it would become alice here and get alice's rules. Same for a group "ＳＲＥ".
    assertRefused(rs256(claims(c -> c.claim("preferred_username", "ａｌｉｃｅ"))));
    assertRefused(rs256(claims(c -> c.claim("preferred_username", "ali\u200Bce"))));
    Caller lookAlikeGroup = (Caller) authenticate(rs256(claims(c -> c.claim("groups", List.of("ＳＲＥ", "qa")))));
    assertThat(lookAlikeGroup.groups()).as("the look-alike group grants nothing; the others stay").containsExactly("qa");
    // Case and composed/decomposed accents are the same name, not look-alikes.
    assertThat(((Caller) authenticate(rs256(claims(c -> c.claim("preferred_username", "Dora"))))).principal()).isEqualTo("dora");
    assertThat(((Caller) authenticate(rs256(claims(c -> c.claim("preferred_username", "jose\u0301"))))).principal())
        .isEqualTo("jos\u00e9");
  }

  private static void assertRefused(String token) {
    assertThatThrownBy(() -> authenticate(token)).isInstanceOf(AuthenticationException.class);
  }

  private static Authentication authenticate(String token) {
    return PROVIDER.authenticate(new BearerTokenAuthenticationToken(token));
  }

  private static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .issuer(ISSUER).audience(AUDIENCE).subject("id-dora").claim("preferred_username", "dora")
        .claim("groups", List.of("sre")).issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    change.accept(b);
    return b.build();
  }

  private static String rs256(JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(IDP_KEY.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(IDP_KEY));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpServer jwks() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      byte[] body = new JWKSet(IDP_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      server.createContext("/jwks", x -> {
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
      });
      server.start();
      return server;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
