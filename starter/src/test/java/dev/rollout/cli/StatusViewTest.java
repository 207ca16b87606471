package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plans;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.UndoEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusViewTest {

  @Test
  void readingsAreRoundedToWhatTheyNeed() {
    assertThat(StatusView.number(26.08527210814999)).isEqualTo("26.09");
    assertThat(StatusView.number(0.012345)).isEqualTo("0.01235");
    assertThat(StatusView.number(1500.0)).isEqualTo("1500");
    assertThat(StatusView.number(0.25)).isEqualTo("0.25");
  }

  @Test
  void anEightWeekPlanBakesLongerThanAnInMemoryServerShouldBeTrustedWith() {
    Duration bakes = StartCommand.plannedBakes(Plans.load(Path.of("../plans/phased-programme-8-weeks.yaml")));
    assertThat(bakes).isEqualTo(Duration.ofDays(56));
    assertThat(bakes).isGreaterThan(StartCommand.IN_MEMORY_LIMIT);
  }

  @Test
  void anEndedRolloutSaysWhatWasUndoneNotWhatIsRegistered() {
    UndoEntry traffic = undo("u1", "traffic on edge back to stable", UndoEntry.Status.DONE);
    UndoEntry flag = undo("u2", "flag checkout-v2 back to false", UndoEntry.Status.PENDING);

    String rolledBack = print(ended(RolloutState.ROLLED_BACK, List.of(traffic, flag), List.of("phase 2: flag checkout-v2 back to false")));
    assertThat(rolledBack).contains("undone\n  u1", "kept as they are (not undone)\n  u2")
        .doesNotContain("compensations", "undos registered");

    String completed = print(ended(RolloutState.COMPLETED, List.of(flag), List.of("phase 2: flag checkout-v2 back to false")));
    assertThat(completed).as("a completed rollout's registered undos never ran and need nothing")
        .doesNotContain("undone", "u2", "undos");

    String failed = print(ended(RolloutState.ROLLBACK_FAILED, List.of(traffic, undo("u2", "flag checkout-v2 back to false",
        UndoEntry.Status.FAILED)), List.of("phase 2: flag checkout-v2 back to false")));
    assertThat(failed).contains("undone\n  u1", "left to undo by hand\n  u2");
  }

  @Test
  void aRolloutPausedWhileItWaitsForAnApprovalSaysSoBesideTheWait() {
    RolloutStatus paused = new RolloutStatus("rollout-checkout.prod", "checkout-v2", "checkout/prod", "alice",
        Instant.parse("2026-12-01T09:00:00Z"), RolloutState.WAITING_FOR_APPROVAL, 1, "full", 2, null, null, null, null,
        List.of(), List.of(), List.of(), null, List.of(), List.of(), List.of(), true);
    Instant now = Instant.parse("2026-12-01T11:00:00Z");

    assertThat(StatusView.progress(paused, now)).contains("WAITING_FOR_APPROVAL").endsWith(StatusView.PAUSED_MEANWHILE);
    RolloutBrief brief = new RolloutBrief(RolloutState.WAITING_FOR_APPROVAL, 1, "full", null, null, null, null, 4, true);
    assertThat(StatusView.brief(brief, now)).endsWith(StatusView.PAUSED_MEANWHILE);
    assertThat(StatusView.brief(new RolloutBrief(RolloutState.PAUSED, 1, "full", null, null, null, null, 5, true), now))
        .as("PAUSED says it already").doesNotContain(StatusView.PAUSED_MEANWHILE);
    assertThat(StatusView.brief(new RolloutBrief(RolloutState.WAITING_FOR_APPROVAL, 1, "full", null, null, null, null, 4), now))
        .as("a worker before pausedByOperator does not say").doesNotContain(StatusView.PAUSED_MEANWHILE);
  }

  private static UndoEntry undo(String id, String what, UndoEntry.Status status) {
    return new UndoEntry(id, 0, null, what, status, Instant.parse("2026-12-01T10:00:00Z"), null, null, null);
  }

  private static RolloutStatus ended(RolloutState state, List<UndoEntry> undos, List<String> open) {
    return new RolloutStatus("rollout-checkout.prod", "checkout-v2", "checkout/prod", "alice", Instant.parse("2026-12-01T09:00:00Z"),
        state, 1, "full", 2, null, null, null, null, List.of(), List.of(), open, null, List.of(), undos);
  }

  private static String print(RolloutStatus s) {
    StringWriter text = new StringWriter();
    StatusView.print(s, Instant.parse("2026-12-01T11:00:00Z"), new PrintWriter(text));
    return text.toString();
  }
}
