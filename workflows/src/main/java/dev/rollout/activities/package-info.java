/**
 * The activity interfaces the rollout workflow calls: one per concern. Every method is idempotent
 * (a retry after a crash does not repeat a side effect), and every change has a paired way to read
 * the state first, so the workflow can register the compensation before the change runs. The real
 * implementations live in the {@code activities} module; workflow tests use recording fakes.
 */
package dev.rollout.activities;
