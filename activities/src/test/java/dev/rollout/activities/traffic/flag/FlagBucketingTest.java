package dev.rollout.activities.traffic.flag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FlagBucketingTest {

  @Test
  void theSameUserAlwaysGetsTheSameAnswer() {
    for (int i = 0; i < 1000; i++) {
      String user = "user-" + i;
      assertThat(FlagBucketing.isEnabled("batch-patches-v1", user, 25))
          .isEqualTo(FlagBucketing.isEnabled("batch-patches-v1", user, 25));
    }
    assertThat(FlagBucketing.bucket("batch-patches-v1", "alice")).isEqualTo(FlagBucketing.bucket("batch-patches-v1", "alice"));
  }

  @Test
  void aUserInAtTenPercentStaysInAsThePercentageGrows() {
    for (int i = 0; i < 10_000; i++) {
      String user = "user-" + i;
      boolean in = false;
      for (double p : new double[] {0, 1, 10, 25, 50, 100}) {
        boolean now = FlagBucketing.isEnabled("batch-patches-v1", user, p);
        assertThat(now || !in).as("%s dropped out at %s%%", user, p).isTrue();
        in = now;
      }
      assertThat(in).isTrue(); // everyone is in at 100 %
    }
  }

  @Test
  void thePercentageOfUsersInIsThePercentageSet() {
    long in10 = IntStream.range(0, 100_000).filter(i -> FlagBucketing.isEnabled("f", "u" + i, 10)).count();
    long in0 = IntStream.range(0, 100_000).filter(i -> FlagBucketing.isEnabled("f", "u" + i, 0)).count();

    assertThat(in10).isBetween(9_500L, 10_500L);
    assertThat(in0).isZero();
  }

  @Test
  void differentFlagsPickDifferentUsers() {
    long both = IntStream.range(0, 100_000)
        .filter(i -> FlagBucketing.isEnabled("a", "u" + i, 10) && FlagBucketing.isEnabled("b", "u" + i, 10))
        .count();

    assertThat(both).isBetween(700L, 1_300L); // independent: about 1 % of users, not 10 %
  }
}
