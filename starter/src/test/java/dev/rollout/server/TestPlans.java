package dev.rollout.server;

/** Short plans for tests: each on its own service, so tests never share a target. */
public final class TestPlans {
  private TestPlans() {}

  /**
   * Two phases (each service has its own router, {@code <service>-edge}: the recording world is
   * shared, and a rollout refuses to start on a router whose canary already carries traffic): "canary" waits for an entry approval by an sre, shifts 10% and bakes {@code bake}
   * (an sre may skip the bake); "full" shifts 100%.
   */
  public static String approvalPlan(String service, String bake) {
    return """
        apiVersion: rollout.dev/v1
        name: %1$s-v2
        version: 2.0.0
        targets:
          - service: %1$s
            environment: test
        roles: [release-manager, sre]
        resources:
          routers:
            %1$s-edge:
              type: proxy
              adminUrl: http://127.0.0.1:9/admin
        phases:
          - name: canary
            entryApproval:
              roles: [sre]
            steps:
              - { kind: traffic, name: 10%% to v2, router: %1$s-edge, percent: 10 }
            bake: %2$s
            skipBakeRoles: [sre]
          - name: full
            steps:
              - { kind: traffic, name: all to v2, router: %1$s-edge, percent: 100 }
        """
        .formatted(service, bake);
  }

  /**
   * A plan on two targets of {@code service}, {@code staging} then {@code test} (the target of
   * {@link #approvalPlan}), each phase on its own target; the first waits for an sre.
   */
  public static String stagingThenTestPlan(String service) {
    return """
        apiVersion: rollout.dev/v1
        name: %1$s-promotion
        version: 2.0.0
        targets:
          - service: %1$s
            environment: staging
          - service: %1$s
            environment: test
        roles: [release-manager, sre]
        resources:
          routers:
            %1$s-staging-edge:
              type: proxy
              adminUrl: http://127.0.0.1:9/admin
            %1$s-edge:
              type: proxy
              adminUrl: http://127.0.0.1:9/admin
        phases:
          - name: staging
            target: %1$s/staging
            entryApproval:
              roles: [sre]
            steps:
              - { kind: traffic, router: %1$s-staging-edge, percent: 100 }
          - name: test
            target: %1$s/test
            steps:
              - { kind: traffic, router: %1$s-edge, percent: 100 }
        """
        .formatted(service);
  }

  /** The id the plan's rollout gets. */
  public static String rolloutId(String service) {
    return "rollout-" + service + ".test";
  }

  /** Line 18 gives a percentage that is not a number. */
  public static final String INVALID_PERCENT =
      approvalPlan("broken", "1s").replace("percent: 10 }", "percent: ten }");
}
