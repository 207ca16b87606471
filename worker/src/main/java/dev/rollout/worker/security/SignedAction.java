package dev.rollout.worker.security;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A person's action as the API vouches for it, carried in the Update's Temporal header {@link
 * #HEADER}: who (the authenticated principal, canonical), with which roles, what (the Update's
 * name and a digest of its arguments, which hold the role, comment and wait id), on which run of
 * which plan, when, and a nonce; {@code mac} is an HMAC-SHA256 over all of it.
 *
 * @param argumentsDigest SHA-256 of the Update's arguments as Temporal serializes them
 * @param planDigest {@link PlanDigest} of the plan the run executes
 */
public record SignedAction(
    String principal,
    List<String> roles,
    String kind,
    String runId,
    String planDigest,
    String argumentsDigest,
    long issuedAtMillis,
    String nonce,
    String mac) {

  /** The Temporal header the signature travels in (history keeps it with the accepted Update). */
  public static final String HEADER = "rollout-signed-action";

  private static final SecureRandom RANDOM = new SecureRandom();

  public SignedAction {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /** Signs an Update about to be sent. */
  public static SignedAction sign(
      SigningKey key,
      String principal,
      List<String> roles,
      String kind,
      String runId,
      String planDigest,
      Object[] arguments,
      Instant now) {
    byte[] n = new byte[18];
    RANDOM.nextBytes(n);
    SignedAction unsigned =
        new SignedAction(principal, roles, kind, runId, planDigest, digestOf(arguments),
            now.toEpochMilli(), HexFormat.of().formatHex(n), null);
    return unsigned.withMac(unsigned.computeMac(key));
  }

  /** True when {@code mac} is the HMAC of the other fields under {@code key} (constant time). */
  public boolean macValid(SigningKey key) {
    return mac != null
        && MessageDigest.isEqual(
            computeMac(key).getBytes(StandardCharsets.US_ASCII),
            mac.getBytes(StandardCharsets.US_ASCII));
  }

  public Payload toPayload() {
    return GlobalDataConverter.get().toPayload(this).orElseThrow();
  }

  public static SignedAction fromPayload(Payload payload) {
    return GlobalDataConverter.get().fromPayload(payload, SignedAction.class, SignedAction.class);
  }

  /**
   * SHA-256 of the arguments as Temporal's standard data converter writes them, hex: a frozen
   * format (see {@link PlanDigest}), whatever converter carries the Update.
   */
  public static String digestOf(Object[] arguments) {
    MessageDigest sha = sha256();
    for (Object a : arguments) {
      byte[] data = DefaultDataConverter.STANDARD_INSTANCE.toPayload(a).map(p -> p.getData().toByteArray()).orElse(new byte[0]);
      sha.update(Integer.toString(data.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(data);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private SignedAction withMac(String m) {
    return new SignedAction(principal, roles, kind, runId, planDigest, argumentsDigest, issuedAtMillis, nonce, m);
  }

  private String computeMac(SigningKey key) {
    // Length-prefixed fields: no value can be shifted into its neighbour.
    StringBuilder text = new StringBuilder("rollout-signed-action/v1");
    for (String field :
        List.of(principal, String.join("\u001f", roles), kind, runId, planDigest, argumentsDigest,
            Long.toString(issuedAtMillis), nonce)) {
      String f = field == null ? "" : field;
      text.append('\n').append(f.length()).append(':').append(f);
    }
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
      return HexFormat.of().formatHex(hmac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
