package dev.rollout.workflow;

import dev.rollout.activities.DatabaseActivities.BackupRecord;
import java.util.List;
import java.util.Map;

/**
 * What a run leaves to undo, as data: the {@code leftover} query answers it for any run, running
 * or closed (a worker replays a closed run's history to answer). A Temporal <em>terminate</em>
 * skips the rollback; {@link RolloutRecoveryWorkflow} starts from this and runs it.
 *
 * @param request the rollout as it was started (id, plan, who started it)
 * @param state where the run was when it was read (for a terminated run: where it stopped)
 * @param phaseIndex the phase it was in (0-based; -1 before the first): the rollback's reach
 * @param startedPhases the phases whose steps began (their rollback steps run)
 * @param undos every undo it registered, with its status, in registration order
 * @param contractedIn each database whose contract migration ran, with the phase that ran it
 * @param backups the verified backups it took (released for retention when the recovery ends)
 * @param decisions its decision log, so the recovery's status tells the whole story
 */
public record RolloutLeftover(
    RolloutRequest request,
    RolloutState state,
    int phaseIndex,
    List<Integer> startedPhases,
    List<UndoEntry> undos,
    Map<String, Integer> contractedIn,
    List<BackupRecord> backups,
    List<Decision> decisions) {

  public RolloutLeftover {
    startedPhases = startedPhases == null ? List.of() : List.copyOf(startedPhases);
    undos = undos == null ? List.of() : List.copyOf(undos);
    contractedIn = contractedIn == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(contractedIn));
    backups = backups == null ? List.of() : List.copyOf(backups);
    decisions = decisions == null ? List.of() : List.copyOf(decisions);
  }
}
