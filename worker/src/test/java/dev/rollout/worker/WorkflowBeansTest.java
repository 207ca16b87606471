package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.workflow.TargetLockRelease.Ending;
import dev.rollout.workflow.TargetLockReleaseImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * A worker ends a rollout's target locks the way its server allows: terminated on its own
 * embedded server (Temporal's Java test server, which reports no child's termination to the
 * rollout), signalled on a cluster (whose termination event, arriving during the rollout's last
 * task, would fail that task's completion).
 */
class WorkflowBeansTest {

  @Test
  void aWorkerOnItsEmbeddedServerTerminatesTheLocks() {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("embeddedTemporalTarget", new EmbeddedTemporalServer.Target("in-process"));

    TargetLockReleaseImpl release = (TargetLockReleaseImpl) new WorkflowBeans()
        .targetLockRelease(beans.getBeanProvider(EmbeddedTemporalServer.Target.class));

    assertThat(release.ending()).isEqualTo(Ending.TERMINATED);
  }

  @Test
  void aWorkerOnAClusterSignalsTheLocks() {
    TargetLockReleaseImpl release = (TargetLockReleaseImpl) new WorkflowBeans()
        .targetLockRelease(new StaticListableBeanFactory().getBeanProvider(EmbeddedTemporalServer.Target.class));

    assertThat(release.ending()).isEqualTo(Ending.SIGNALLED);
  }
}
