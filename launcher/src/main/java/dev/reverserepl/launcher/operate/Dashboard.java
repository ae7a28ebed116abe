package dev.reverserepl.launcher.operate;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The dashboard page of the control API ({@code GET /}): one self-contained HTML file (inline
 * style, script and SVG; nothing loaded from the network) that polls {@code /api/v1/progress} every
 * two seconds and shows the state, {@code canCutBack} and what blocks it, per-shard lag over the
 * last ten minutes as a chart, applied counts and rates, pending dead letters and the last
 * verification. The page itself holds no data, so it needs no token; bound beyond loopback it reads
 * the token from the URL fragment ({@code #token=...}, never sent to the server) for its calls.
 */
final class Dashboard {
  private static final byte[] PAGE = load();

  private Dashboard() {}

  static void send(HttpExchange ex) throws IOException {
    var h = ex.getResponseHeaders();
    h.set("Content-Type", "text/html; charset=utf-8");
    h.set("Cache-Control", "no-store");
    // The page may only talk to this API and may not be framed by another site.
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
            + " connect-src 'self'; img-src data:; frame-ancestors 'none'");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    ex.sendResponseHeaders(200, PAGE.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(PAGE);
    }
  }

  private static byte[] load() {
    try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.html missing from the launcher jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
