package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reverserepl.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The control API of a run (JDK HTTP server, JSON in and out):
 *
 * <ul>
 *   <li>{@code GET /api/v1/progress[?at=<RFC 3339 Spanner commit time>]}: the {@link ProgressDocument}.
 *   <li>{@code POST /api/v1/pause}, {@code POST /api/v1/resume}: {@code {"success":true}}.
 * </ul>
 *
 * Errors are {@code {"success":false,"error":NAME,"errorDescription":TEXT}} with status 400 (InvalidStateTransition,
 * InvalidRequest), 404 (NotFound), 405 (MethodNotAllowed), 503 (ShardUnreachable) or 500 (InternalError). No
 * authentication: see {@link ControlSettings}.
 */
public final class ControlServer {
  private static final String PREFIX = "/api/v1/";

  private final ProgressSource progress;
  private final PauseControl pause;
  private final Clock clock;

  private ControlServer(ProgressSource progress, PauseControl pause, Clock clock) {
    this.progress = progress;
    this.pause = pause;
    this.clock = clock;
  }

  /** Starts listening; close the handle to stop. */
  public static Handle start(ControlSettings settings, ProgressSource progress, PauseControl pause) {
    return start(settings, progress, pause, Clock.systemUTC());
  }

  public static Handle start(ControlSettings settings, ProgressSource progress, PauseControl pause, Clock clock) {
    ControlServer api = new ControlServer(progress, pause, clock);
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port()), 0);
      ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "rr-control-api");
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(pool);
      server.createContext("/", api::handle);
      server.start();
      return new Handle(server, pool);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the control API on " + settings.bindAddress() + ":" + settings.port(), e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      try {
        switch (path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "") {
          case "progress" -> {
            requireMethod(ex, "GET");
            send(ex, 200, ProgressDocument.build(pause.state(), progress, at(ex.getRequestURI()), clock.instant()));
          }
          case "pause" -> {
            requireMethod(ex, "POST");
            readBody(ex);
            pause.pause();
            send(ex, 200, success());
          }
          case "resume" -> {
            requireMethod(ex, "POST");
            readBody(ex);
            pause.resume();
            send(ex, 200, success());
          }
          default -> send(ex, 404, error("NotFound", "no endpoint " + method + " " + path
              + "; endpoints: GET " + PREFIX + "progress, POST " + PREFIX + "pause, POST " + PREFIX + "resume"));
        }
      } catch (MethodNotAllowed e) {
        ex.getResponseHeaders().set("Allow", e.allowed);
        send(ex, 405, error("MethodNotAllowed", method + " " + path + " is not allowed; use " + e.allowed));
      } catch (InvalidStateTransitionException e) {
        send(ex, 400, error("InvalidStateTransition", e.getMessage()));
      } catch (BadRequest e) {
        send(ex, 400, error("InvalidRequest", e.getMessage()));
      } catch (ControlException e) {
        send(ex, 503, error(e.error(), e.getMessage()));
      } catch (RuntimeException e) {
        send(ex, 500, error("InternalError", String.valueOf(e.getMessage())));
      }
    }
  }

  private static Optional<Instant> at(URI uri) {
    String q = uri.getRawQuery();
    if (q == null) {
      return Optional.empty();
    }
    for (String kv : q.split("&")) {
      if (kv.startsWith("at=")) {
        String v = java.net.URLDecoder.decode(kv.substring(3), StandardCharsets.UTF_8);
        try {
          return Optional.of(Instant.parse(v));
        } catch (DateTimeParseException e) {
          throw new BadRequest("at must be an RFC 3339 UTC timestamp such as 2024-05-01T12:00:00.123456Z: " + v);
        }
      }
    }
    return Optional.empty();
  }

  private static void requireMethod(HttpExchange ex, String method) {
    if (!ex.getRequestMethod().equalsIgnoreCase(method)) {
      throw new MethodNotAllowed(method);
    }
  }

  /** Bodies are optional ({@code --data '{}'} as with other sync tools); if present they must be a JSON object. */
  private static void readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      String body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).trim();
      if (body.isEmpty()) {
        return;
      }
      JsonNode n;
      try {
        n = Json.parse(body);
      } catch (IOException e) {
        throw new BadRequest("request body is not JSON: " + e.getMessage());
      }
      if (!n.isObject()) {
        throw new BadRequest("request body must be a JSON object, e.g. {}");
      }
    }
  }

  private static ObjectNode success() {
    ObjectNode o = Json.object();
    o.put("success", true);
    return o;
  }

  static ObjectNode error(String name, String description) {
    ObjectNode o = Json.object();
    o.put("success", false);
    o.put("error", name);
    o.put("errorDescription", description);
    return o;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static final class MethodNotAllowed extends RuntimeException {
    final String allowed;

    MethodNotAllowed(String allowed) {
      super(allowed);
      this.allowed = allowed;
    }
  }

  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  /** A running control API. */
  public static final class Handle implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;

    private Handle(HttpServer server, ExecutorService pool) {
      this.server = server;
      this.pool = pool;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}; endpoints are under {@code /api/v1/}. */
    public String url() {
      InetSocketAddress a = server.getAddress();
      String host = a.getAddress().getHostAddress();
      return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Adds {@code POST/GET /api/v1/<endpoint>} served by {@code handler} (e.g. the cut-back endpoints). */
    public void register(String endpoint, com.sun.net.httpserver.HttpHandler handler) {
      server.createContext(PREFIX + endpoint, handler);
    }

    public InetSocketAddress address() {
      return server.getAddress();
    }

    @Override
    public void close() {
      server.stop(0);
      pool.shutdownNow();
    }
  }
}
