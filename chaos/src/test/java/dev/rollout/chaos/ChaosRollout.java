package dev.rollout.chaos;

import dev.rollout.plan.Plan;
import java.nio.file.Path;

/**
 * One rollout of the chaos run: its script, its plan, where its flag file and database are, and
 * the driver playing its people.
 *
 * @param database the database it migrates, or null
 */
record ChaosRollout(ChaosScript script, Plan plan, String rolloutId, Path flagFile, String database, RolloutDriver driver) {}
