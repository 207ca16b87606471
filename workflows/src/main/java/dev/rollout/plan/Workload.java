package dev.rollout.plan;

/** A Kubernetes Deployment the plan deploys, scales or configures. */
public record Workload(String namespace, String deployment, String container) {}
