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
 * random port). Every test class using it shares one application context, so one server. Its
 * TestRestTemplate sends the token of "server-user" unless a request carries its own
 * ({@link TestTokens}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = RolloutServer.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rollout.temporal.embedded.port=0",
      "rollout.worker.activities=recording",
      "rollout.security.access.testers.subjects=group:testers",
      "rollout.security.access.testers.actions=START,PAUSE,ABORT,DECIDE,SKIP_BAKE,APPROVE",
      "rollout.security.access.testers.roles=*",
      "rollout.security.limits.requests-per-minute=100000",
      "rollout.security.tokens.server-user.principal=server-user",
      "rollout.security.tokens.server-user.groups=testers",
      "rollout.security.tokens.server-user.sha256=27eab952f7b6e0e6ccf54557d3bc07959da5de14fb82ff0bcc6a1daa7f9606f3",
      "rollout.security.tokens.alice.principal=alice",
      "rollout.security.tokens.alice.groups=testers",
      "rollout.security.tokens.alice.sha256=33b98a38ca648e3cd750f75394dd9a4643e9e3e127fd14ac6253cf68cca77e2a",
      "rollout.security.tokens.bob.principal=bob",
      "rollout.security.tokens.bob.groups=testers",
      "rollout.security.tokens.bob.sha256=866ded7755f8140a12eba52c4f8e4c52136d8f6f2bb42679d962977cbba5cc09",
      "rollout.security.tokens.carol.principal=carol",
      "rollout.security.tokens.carol.groups=testers",
      "rollout.security.tokens.carol.sha256=e0729bd50a2ff896690df09ae8588f8aaa32c7fd0f1c512a6b92143105f0d919",
      "rollout.security.tokens.dave.principal=dave",
      "rollout.security.tokens.dave.groups=testers",
      "rollout.security.tokens.dave.sha256=9c778c34bb7e11ffa2ff3807046fa511058ed5a9d42938ff4514e4ed54a7eac0",
      "rollout.security.tokens.erin.principal=erin",
      "rollout.security.tokens.erin.groups=testers",
      "rollout.security.tokens.erin.sha256=366f3d13cb6a428c3e9cd0de9763d60d6acc7721056d3726c73ea6ec14db25b2",
      "rollout.security.tokens.tester.principal=tester",
      "rollout.security.tokens.tester.groups=testers",
      "rollout.security.tokens.tester.sha256=0a07fb481cdc6681fce317f6c7aca90b80242465c10f619b5cb1d0b696372a40",
      "rollout.security.tokens.newcomer.principal=newcomer",
      "rollout.security.tokens.newcomer.groups=testers",
      "rollout.security.tokens.newcomer.sha256=8183ad865a55d1df410b925a999acae4922920eb081e0f5d6e817e7a9d6b92a5",
      "rollout.security.tokens.mallory.principal=mallory",
      "rollout.security.tokens.mallory.groups=nobody",
      "rollout.security.tokens.mallory.sha256=a45f16c9cd78bd9f88fe928c79fa99b43d73fa398dd95717cd4de76adf8c4818",
      "rollout.security.tokens.viewer.principal=viewer",
      "rollout.security.tokens.viewer.groups=nobody",
      "rollout.security.tokens.viewer.sha256=6eabc9e0ee9346301ae0eefd1d2f69edcb6806c465632f22c933ce8b9917da6a",
      "rollout.security.tokens.starter-only.principal=starter-only",
      "rollout.security.tokens.starter-only.groups=nobody",
      "rollout.security.tokens.starter-only.sha256=75c1f647c380e072b52c23fe342aeca21e0b9e5b5a8568c32b0c42abaaa39564",
      "rollout.security.tokens.pm-only.principal=pm-only",
      "rollout.security.tokens.pm-only.groups=nobody",
      "rollout.security.tokens.pm-only.sha256=47af9042694a8186aa3218dc97bf414e83924f32105db0684564642677addb15",
      "rollout.security.tokens.burst.principal=burst",
      "rollout.security.tokens.burst.groups=nobody",
      "rollout.security.tokens.burst.sha256=c42e56edd9dab354d9401ad84d1103251af165c29d234fbaf9c2a90f9f0fae7e",
    })
@Import({RecordingActivityBeans.class, TestServerAuth.class, StatusReadFaults.class})
// Metrics export on, as in production: /actuator/prometheus is part of what is tested.
@AutoConfigureObservability(tracing = false)
public @interface RolloutServerTest {}
