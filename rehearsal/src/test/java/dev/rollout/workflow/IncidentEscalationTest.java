package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Escalation;
import dev.rollout.plan.Notifications;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Resources;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario.CallRule;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DealerScope's communication plan as an escalation chain: #incidents at once, engineering after
 * 2 minutes, management after 5, customers after 10, each only while the incident is open.
 */
class IncidentEscalationTest {
  static final List<Escalation> CHAIN = List.of(
      new Escalation(Duration.ZERO, "incidents"), new Escalation(Duration.ofMinutes(2), "engineering"),
      new Escalation(Duration.ofMinutes(5), "management"), new Escalation(Duration.ofMinutes(10), "customers"));

  static Plan plan() {
    return plan(CHAIN);
  }

  static Plan plan(List<Escalation> chain) {
    Plan p = TestPlans.plan("api", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(2)).build());
    Resources r = p.resources();
    Map<String, Notifier> notifiers = new LinkedHashMap<>(r.notifiers());
    for (Escalation rung : chain) notifiers.put(rung.notifier(), new Notifier.Log());
    Resources withRungs = new Resources(r.databases(), r.routers(), r.flagStores(), r.metricSources(), r.workloads(),
        notifiers);
    return new Plan(p.apiVersion(), p.name(), p.version(), p.description(), p.targets(), p.timeZone(), p.roles(),
        withRungs, p.metrics(), p.triggers(), p.phases(), new Notifications("log", null, null, chain), null, null, null);
  }

  /** Who was told through the chain, in order, with when. */
  static List<Call> told(List<Call> calls) {
    return calls.stream().filter(c -> c.method().equals("notify") && c.args().contains("incident open")).toList();
  }

  private static String notifier(Call c) {
    return c.args().substring(0, c.args().indexOf(' '));
  }

  @Test
  void aQuickRollbackTellsOnlyTheFirstRungAndIsNotHeldOpenByTheChain() {
    RehearsalResult r = Rehearsal.run(plan(), RollbackScenariosTest.errorsFrom("Canary", null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(told(r.calls())).extracting(IncidentEscalationTest::notifier).containsExactly("incidents");
    assertThat(told(r.calls()).get(0).args()).startsWith("incidents CRITICAL incident open 0s: api rolling back");
    // the rollout ended well before the 2-minute rung, and did not wait for it
    Instant rolledBack = told(r.calls()).get(0).at();
    assertThat(Duration.between(rolledBack, r.endedAt())).isLessThan(Duration.ofMinutes(2));
  }

  @Test
  void aBlockedRollbackEscalatesOnScheduleUntilAPersonResolvesIt() {
    // a day-long rung after DealerScope's four: still due when the rollout ends, so never told
    List<Escalation> chain = new java.util.ArrayList<>(CHAIN);
    chain.add(new Escalation(Duration.ofDays(1), "executives"));
    // the undo of the canary's traffic fails after its retries (minutes): the rollback waits for a person
    CallRule routerDown = new CallRule("traffic", "setWeight", 2, null, "router admin API down");
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", List.of(routerDown)))) {
      RolloutWorkflow wf = rehearsal.start(plan(chain), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      // nobody acts for a while: the 10-minute rung falls due while the rollback waits
      rehearsal.env().sleep(Duration.ofMinutes(10));

      // while the incident is open, each rung is told once, on its schedule
      List<Call> told = Poll.until(() -> told(rehearsal.world().calls()), t -> t.size() >= 4);
      assertThat(told).extracting(IncidentEscalationTest::notifier)
          .containsExactly("incidents", "engineering", "management", "customers");
      Instant opened = told.get(0).at();
      // (to the nearest minute: each rung's notification is scheduled a moment after its timer)
      assertThat(told).extracting(c -> (Duration.between(opened, c.at()).toMillis() + 30_000) / 60_000)
          .containsExactly(0L, 2L, 5L, 10L);
      assertThat(wf.status().state()).as("the incident is still open").isEqualTo(RolloutState.ROLLBACK_BLOCKED);

      String id = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.FAILED).findFirst().orElseThrow().id();
      wf.skipUndo(new Actions.UndoAction("bob", "devops", id, "set by hand on the router"));
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      // the incident closed with the rollout: the day-long rung is never told, and nothing waited for it
      assertThat(told(r.calls())).extracting(IncidentEscalationTest::notifier).doesNotContain("executives");
      assertThat(r.result().decisions()).extracting(Decision::what)
          .contains("escalated to incidents", "escalated to engineering", "escalated to management", "escalated to customers")
          .doesNotContain("escalated to executives");
      assertThat(Duration.between(opened, r.endedAt())).isLessThan(Duration.ofDays(1));
    }
  }
}
