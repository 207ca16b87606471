package dev.rollout.client;

import java.util.List;

/**
 * Who acts, as the API authenticated them: a canonical principal and the plan roles the access
 * configuration gives them on the rollout's targets. Signed into every Update.
 */
public record Actor(String principal, List<String> roles) {
  public Actor {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }
}
