package dev.rollout.worker.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The HMAC key the API signs people's actions with and the worker checks them with. Shared by
 * the API and the workers, never by Temporal: whoever can reach Temporal alone cannot forge an
 * action. The bytes never appear in {@link #toString()}.
 */
public final class SigningKey {
  /** Shorter keys are refused: 32 bytes is the HMAC-SHA256 block's worth of secret. */
  public static final int MIN_BYTES = 32;

  private final byte[] bytes;
  private final String origin;

  private SigningKey(byte[] bytes, String origin) {
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the signing key from " + origin + " has " + bytes.length + " bytes; at least "
              + MIN_BYTES + " are needed (e.g. `openssl rand -base64 48`)");
    }
    this.bytes = bytes.clone();
    this.origin = origin;
  }

  public static SigningKey of(String secret, String origin) {
    return new SigningKey(secret.strip().getBytes(StandardCharsets.UTF_8), origin);
  }

  public static SigningKey fromFile(Path file) {
    try {
      return of(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the signing key file " + file, e);
    }
  }

  /** A fresh random key, for a process that is both the API and the worker (embedded mode). */
  public static SigningKey random() {
    byte[] b = new byte[48];
    new SecureRandom().nextBytes(b);
    return new SigningKey(b, "generated at start");
  }

  byte[] bytes() {
    return bytes.clone();
  }

  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "SigningKey[" + origin + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigningKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
