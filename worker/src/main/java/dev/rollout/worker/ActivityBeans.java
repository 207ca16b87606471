package dev.rollout.worker;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The real activity implementations from the {@code activities} module, as the beans the worker
 * registers (their names are listed in {@code rollout-worker.yaml}). Not loaded by an API-only
 * process (profile {@code api-only}).
 */
@Configuration(proxyBeanMethods = false)
@Profile("!api-only")
public class ActivityBeans {}
