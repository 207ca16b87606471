package dev.rollout.activities.traffic.flag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * For apps: whether a user is in a flag's rollout percentage. Each user gets a fixed bucket in
 * [0, 10000) from a hash of flag and user id, and is in when the bucket is below the percentage.
 * So the same user always gets the same answer, and a user in at 10 % stays in at 25 %; the flag
 * name is hashed in so different flags pick different users. No dependencies: copy it freely.
 */
public final class FlagBucketing {

  public static final int BUCKETS = 10_000;

  private FlagBucketing() {}

  public static boolean isEnabled(String flag, String userId, double percent) {
    return bucket(flag, userId) < Math.round(percent * BUCKETS / 100);
  }

  /** The user's bucket for this flag: stable across processes, versions and machines. */
  public static int bucket(String flag, String userId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest((flag + ":" + userId).getBytes(StandardCharsets.UTF_8));
      long value = 0;
      for (int i = 0; i < 8; i++) value = (value << 8) | (hash[i] & 0xff);
      return (int) Long.remainderUnsigned(value, BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
