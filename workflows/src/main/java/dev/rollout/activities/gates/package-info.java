/**
 * What a gate means, apart from where its values come from: its condition over samples
 * ({@link dev.rollout.activities.gates.GateCondition}), the verdict an acceptance gate or a trigger
 * reads from it ({@link dev.rollout.activities.gates.GateResults}) and units. Pure: the worker's
 * metric activities and the rehearsal's scripted metrics both judge with it.
 */
package dev.rollout.activities.gates;
