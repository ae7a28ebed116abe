package dev.reverserepl.launcher.operate;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a request may reach the control API at all, before any endpoint sees it. Rules
 * (numbered as in docs/operate.md, "Control API security"):
 *
 * <ol>
 *   <li>The {@code Host} header names a loopback name ({@code localhost}, {@code 127.0.0.1}, {@code
 *       [::1]}) or the address the API is bound to (for a wildcard bind: an address of this machine
 *       or its host name). Anything else is refused: a page on another site that resolved its own
 *       name to this address (DNS rebinding) cannot read the progress document.
 *   <li>An {@code Origin} header, when present, is this API's own origin ({@code http://<Host>});
 *       browsers send it on cross-site requests, so a page on another site cannot pause or resume.
 *   <li>Bound to anything but loopback, every {@code /api/} call carries {@code Authorization:
 *       Bearer <token>} with the token given at start; the comparison takes constant time.
 * </ol>
 *
 * Content type and body size of POST requests are checked by {@link ControlServer} (rules 4 and 5).
 */
final class RequestGuard {
  private final Set<String> allowedHosts;
  private final byte[] token;

  private RequestGuard(Set<String> allowedHosts, String token) {
    this.allowedHosts = Collections.unmodifiableSet(allowedHosts);
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** The guard for an API bound to {@code bound}; {@code token} is null on loopback. */
  static RequestGuard forBinding(InetAddress bound, String token) {
    Set<String> hosts = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]", "::1"));
    hosts.add(literal(bound));
    if (bound.isAnyLocalAddress()) {
      addLocalAddresses(hosts);
    }
    if (!bound.isLoopbackAddress() && (token == null || token.isBlank())) {
      throw new IllegalArgumentException(
          "the control API bound to " + bound.getHostAddress() + " needs a token");
    }
    return new RequestGuard(hosts, bound.isLoopbackAddress() ? null : token);
  }

  /** A refusal: HTTP status, error name and description; empty when the request may go on. */
  record Refusal(int status, String error, String description) {}

  Optional<Refusal> check(String host, String origin, String authorization, boolean api) {
    if (host == null || !allowedHosts.contains(hostName(host))) {
      return Optional.of(
          new Refusal(
              403,
              "ForbiddenHost",
              "Host '"
                  + host
                  + "' is not this API's address; use "
                  + String.join(", ", allowedHosts.stream().sorted().toList())));
    }
    if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
      return Optional.of(
          new Refusal(
              403,
              "ForbiddenOrigin",
              "cross-origin request from '"
                  + origin
                  + "' refused; the API only answers its own origin http://"
                  + host));
    }
    if (api && token != null && !tokenMatches(authorization)) {
      return Optional.of(
          new Refusal(
              401,
              "Unauthorized",
              "this API is bound beyond loopback: send 'Authorization: Bearer <token>' with the token printed at start"));
    }
    return Optional.empty();
  }

  boolean requiresToken() {
    return token != null;
  }

  private boolean tokenMatches(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  /** The host part of a Host header ({@code name[:port]}, {@code [v6][:port]}), lower case. */
  static String hostName(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
      return h.substring(0, colon);
    }
    return h;
  }

  private static String literal(InetAddress a) {
    String s = a.getHostAddress();
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    return s.contains(":") ? "[" + s.toLowerCase(Locale.ROOT) + "]" : s;
  }

  private static void addLocalAddresses(Set<String> hosts) {
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          hosts.add(literal(a));
        }
      }
      InetAddress local = InetAddress.getLocalHost();
      hosts.add(local.getHostName().toLowerCase(Locale.ROOT));
      hosts.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
    } catch (SocketException | java.net.UnknownHostException e) {
      // Without the interface list only the loopback names and the bound address are accepted.
    }
  }
}
