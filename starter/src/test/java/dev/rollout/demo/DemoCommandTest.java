package dev.rollout.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.cli.Run;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code rollout demo} end to end, as a newcomer runs it: embedded Temporal, worker, API and the
 * demo target, a real rollout through the API, seconds-long bakes.
 */
class DemoCommandTest {

  @Test
  void autoApprovedTheDemoCompletesAndSummarisesWhatHappened() {
    Run run = Run.with(Map.of(), "", "demo", "--auto-approve", "--router-port", "0");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("demo-pipeline started rollout rollout-greeter.demo")
        .contains("approved entry approval of canary-10 as release-manager (as demo-release-manager)")
        .contains("approved exit approval of wave-50 as sre (as demo-sre)")
        .contains("==== demo summary ====")
        .containsPattern("canary-10 +v2 weight 10%")
        .containsPattern("wave-50 +v2 weight 50%")
        .containsPattern("full +v2 weight 100%")
        .containsPattern("PASS +canary error rate")
        .contains("v2 weight now 100%")
        .contains("result    COMPLETED");
    assertThat(run.out().strip()).endsWith("COMPLETED");
  }

  @Test
  void breakingTheCanaryAtAPhaseRollsBackAndThatIsTheDemoAskedFor() {
    Run run = Run.with(Map.of(), "", "demo", "--auto-approve", "--break-at", "wave-50", "--router-port", "0");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("--break-at wave-50: v2 now answers every request with 500")
        // The plan's trigger, watched every second during the bake, fires before the wave's gates.
        .containsPattern("FAIL +canary errors: error_rate = [0-9.]+% > 5%")
        .contains("rollback trigger fired")
        .containsPattern("full +not reached")
        .contains("v2 weight now 0%")
        .contains("result    ROLLED_BACK");
    assertThat(run.out().strip()).endsWith("ROLLED_BACK");
  }

  @Test
  void thePersonAtTheTerminalAnswersTheApprovalsAndARefusalRollsBack() {
    Run run = Run.with(Map.of("ROLLOUT_USER", "newcomer"), "yes\nno\n", "demo", "--router-port", "0");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out())
        .contains(">> Approve the entry approval of canary-10 as release-manager? [y]es / [n]o, roll back:")
        .contains("approved entry approval of canary-10 as release-manager (as newcomer)")
        .contains("rejected exit approval of wave-50 as sre (as newcomer)")
        .contains("result    ROLLED_BACK");
    assertThat(run.err()).contains("the demo ended ROLLED_BACK but COMPLETED was expected");
  }

  @Test
  void withNobodyAtTheTerminalTheDemoStopsAtTheFirstQuestionAndSaysToAutoApprove() {
    Run run = Run.with(Map.of(), "", "demo", "--router-port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("the input has ended", "./rollout demo --auto-approve");
  }

  @Test
  void anUnknownBreakPhaseIsAUsageErrorListingThePhases() {
    Run run = Run.of("demo", "--break-at", "wave-9");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("wave-9", "canary-10, wave-50, full");
  }
}
