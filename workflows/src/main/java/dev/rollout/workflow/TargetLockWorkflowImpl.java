package dev.rollout.workflow;

import io.temporal.workflow.Workflow;

public class TargetLockWorkflowImpl implements TargetLockWorkflow {
  private boolean released;

  @Override
  public void hold(String holder) {
    Workflow.await(() -> released);
  }

  @Override
  public void release() {
    released = true;
  }
}
