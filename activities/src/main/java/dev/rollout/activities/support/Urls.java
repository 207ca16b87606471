package dev.rollout.activities.support;

import java.net.URI;

/** URLs as they may be shown in errors, logs and history: never with user info or query. */
public final class Urls {
  private Urls() {}

  /** {@code scheme://host:port/path}; the user info, query and fragment (which may carry credentials) dropped. */
  public static String shown(URI uri) {
    return uri == null ? "(no URL)" : shown(uri.toString());
  }

  public static String shown(String url) {
    if (url == null) return "(no URL)";
    try {
      URI u = URI.create(url.strip());
      if (u.getHost() == null) return "(not a URL)";
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
          + (u.getRawPath() == null ? "" : u.getRawPath());
    } catch (IllegalArgumentException e) {
      return "(not a URL)";
    }
  }
}
