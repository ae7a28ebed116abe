package dev.reverserepl.common.config;

/**
 * Pub/Sub endpoints are given the way Google documents them ({@code
 * us-east1-pubsub.googleapis.com:443}); Beam's Pub/Sub client wants a root URL. One conversion for
 * both pipelines.
 */
public final class PubSubEndpoints {
  private PubSubEndpoints() {}

  /**
   * {@code host:443} → {@code https://host}; {@code host:port} → {@code http://host:port} (an
   * emulator); URLs as they are.
   */
  public static String rootUrl(String endpoint) {
    String e = endpoint.trim();
    if (e.contains("://")) {
      return e;
    }
    if (e.endsWith(":443")) {
      return "https://" + e.substring(0, e.length() - 4);
    }
    return e.contains(":") ? "http://" + e : "https://" + e;
  }
}
