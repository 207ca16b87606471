package dev.rollout.client;

import dev.rollout.workflow.RolloutStatus;

/**
 * What a person's action the rollout accepted answers: normally the rollout's whole status, read
 * right after; when only that read failed, {@link RecordedAction} (the action's own brief and why
 * the status is missing). Either way the action happened.
 */
public sealed interface ActionAnswer permits ActionAnswer.WithStatus, RecordedAction {

  /** The normal answer: the rollout's whole status, read right after the action. */
  record WithStatus(RolloutStatus status) implements ActionAnswer {}
}
