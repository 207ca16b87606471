package dev.rollout.activities.kubernetes;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** A pod template as one revision of a Deployment had it. */
record PodSpecTemplate(long revision, PodTemplateSpec template) {}
