package dev.rollout.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import dev.rollout.worker.RecordingActivityBeans;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.context.annotation.Import;

/**
 * The whole server (embedded Temporal on a free port, worker with recording activities, API on a
 * random port). Every test class using it shares one application context, so one server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = RolloutServer.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rollout.temporal.embedded.port=0",
      "rollout.worker.activities=recording",
      "rollout.user=server-user"
    })
@Import(RecordingActivityBeans.class)
// Metrics export on, as in production: /actuator/prometheus is part of what is tested.
@AutoConfigureObservability(tracing = false)
public @interface RolloutServerTest {}
