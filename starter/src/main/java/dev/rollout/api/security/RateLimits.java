package dev.rollout.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests per principal: a token bucket of {@code perMinute} requests, refilled continuously.
 * Runs after authentication, so it counts people, not addresses; beyond it, 429 with Retry-After.
 */
public final class RateLimits extends OncePerRequestFilter {
  private final int perMinute;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimits(int perMinute) {
    this.perMinute = perMinute;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (SecurityContextHolder.getContext().getAuthentication() instanceof Caller caller
        && !buckets.computeIfAbsent(caller.principal(), p -> new Bucket(perMinute)).take(System.nanoTime())) {
      response.setHeader("Retry-After", "1");
      Problems.write(response, 429, "too-many-requests", "Too many requests",
          caller.principal() + " sent more than " + perMinute + " requests a minute; slow down");
      return;
    }
    chain.doFilter(request, response);
  }

  private static final class Bucket {
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    Bucket(int perMinute) {
      this.capacity = perMinute;
      this.perNano = perMinute / 60e9;
      this.tokens = perMinute;
      this.last = System.nanoTime();
    }

    synchronized boolean take(long now) {
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }
  }
}
