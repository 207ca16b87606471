package dev.rollout.worker;

import dev.rollout.workflow.TargetLockRelease;
import dev.rollout.workflow.TargetLockReleaseImpl;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * What the workflows module itself brings to the worker, whichever activities run the steps (real
 * or a test's recording ones): the local activity that ends a rollout's target locks from its last
 * workflow task (listed in {@code rollout-worker.yaml}). On the embedded server (Temporal's Java
 * test server) it terminates the locks and the rollout closes at once; on a cluster it signals them
 * and the rollout waits for their ends ({@link TargetLockReleaseImpl}).
 */
@Configuration(proxyBeanMethods = false)
@Profile("!api-only")
public class WorkflowBeans {

  @Bean
  TargetLockRelease targetLockRelease(ObjectProvider<EmbeddedTemporalServer.Target> embedded) {
    return embedded.getIfAvailable() != null ? TargetLockReleaseImpl.onTestServer() : TargetLockReleaseImpl.onCluster();
  }
}
