package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The control API of a run (JDK HTTP server, JSON in and out):
 *
 * <ul>
 *   <li>{@code GET /}: the dashboard page ({@link Dashboard}), which reads the progress document
 *       below.
 *   <li>{@code GET /api/v1/progress[?at=<RFC 3339 Spanner commit time>]}: the {@link
 *       ProgressDocument}.
 *   <li>{@code POST /api/v1/pause} (body {@code {"waitSeconds":N}} optional): {@code
 *       {"success":true,"allStopped":B,"shards":{...}}}, per shard {@code pauseState} (writer rule
 *       17), after waiting up to N seconds (default 0) for every shard to acknowledge.
 *   <li>{@code POST /api/v1/resume}: {@code {"success":true}}.
 * </ul>
 *
 * Every request first passes the {@link RequestGuard} (Host, Origin, token: rules 1-3). Rules 4 and
 * 5: a POST must say {@code Content-Type: application/json} (else 415 UnsupportedMediaType) and its
 * body may be at most {@value #MAX_BODY_BYTES} bytes (else 413 RequestTooLarge, answered before the
 * body is read). Errors are {@code {"success":false,"error":NAME,"errorDescription":TEXT}} with
 * status 400 (InvalidStateTransition, InvalidRequest), 401 (Unauthorized), 403 (ForbiddenHost,
 * ForbiddenOrigin), 404 (NotFound), 405 (MethodNotAllowed), 413, 415, 503 (ShardUnreachable) or 500
 * (InternalError). Endpoints added by other handler classes are registered through {@link #guarded}
 * so that they pass the same guard.
 */
public final class ControlServer {
  private static final String PREFIX = "/api/v1/";

  /** Largest accepted request body; pause and resume take at most {@code {}}. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Longest {@code waitSeconds} a pause accepts. */
  public static final int MAX_WAIT_SECONDS = 3600;

  private final ProgressSource progress;
  private final PauseControl pause;
  private final Clock clock;
  private final RequestGuard guard;

  private ControlServer(
      ProgressSource progress, PauseControl pause, Clock clock, RequestGuard guard) {
    this.progress = progress;
    this.pause = pause;
    this.clock = clock;
    this.guard = guard;
  }

  /** Starts listening; close the handle to stop. */
  public static Handle start(
      ControlSettings settings, ProgressSource progress, PauseControl pause) {
    return start(settings, progress, pause, Clock.systemUTC());
  }

  public static Handle start(
      ControlSettings settings, ProgressSource progress, PauseControl pause, Clock clock) {
    try {
      InetAddress bind = InetAddress.getByName(settings.bindAddress());
      String token =
          bind.isLoopbackAddress()
              ? null
              : settings.givenToken().orElseGet(ControlServer::newToken);
      ControlServer api =
          new ControlServer(progress, pause, clock, RequestGuard.forBinding(bind, token));
      HttpServer server = HttpServer.create(new InetSocketAddress(bind, settings.port()), 0);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "rr-control-api");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(pool);
      server.createContext("/", api.guarded(api::route));
      server.start();
      return new Handle(api, server, pool, token, settings.givenToken().isPresent());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the control API on " + settings.bindAddress() + ":" + settings.port(), e);
    }
  }

  private static String newToken() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * Wraps an endpoint handler: the guard's refusal, or the handler with the API's error mapping.
   */
  HttpHandler guarded(Endpoint endpoint) {
    return ex -> {
      try (ex) {
        String path = ex.getRequestURI().getPath();
        var refusal =
            guard.check(
                ex.getRequestHeaders().getFirst("Host"),
                ex.getRequestHeaders().getFirst("Origin"),
                ex.getRequestHeaders().getFirst("Authorization"),
                path.startsWith("/api/"));
        if (refusal.isPresent()) {
          send(
              ex,
              refusal.get().status(),
              error(refusal.get().error(), refusal.get().description()));
          return;
        }
        handle(ex, endpoint);
      }
    };
  }

  /**
   * An endpoint of the API: reads the exchange, answers with {@link #send} or throws an API error.
   */
  @FunctionalInterface
  interface Endpoint {
    void serve(HttpExchange ex) throws IOException;
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals("/") || path.equals("/dashboard")) {
      requireMethod(ex, "GET");
      Dashboard.send(ex);
      return;
    }
    switch (path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "") {
      case "progress" -> {
        requireMethod(ex, "GET");
        send(
            ex,
            200,
            ProgressDocument.build(
                pause.state(), progress, at(ex.getRequestURI()), clock.instant()));
      }
      case "pause" -> {
        requireMethod(ex, "POST");
        Duration wait = waitOf(readJsonBody(ex));
        pause.pause();
        ObjectNode ok = success();
        awaitStopped(wait).writeTo(ok);
        send(ex, 200, ok);
      }
      case "resume" -> {
        requireMethod(ex, "POST");
        readBody(ex);
        pause.resume();
        send(ex, 200, success());
      }
      default ->
          send(
              ex,
              404,
              error(
                  "NotFound",
                  "no endpoint "
                      + method
                      + " "
                      + path
                      + "; endpoints: GET /, GET "
                      + PREFIX
                      + "progress, POST "
                      + PREFIX
                      + "pause, POST "
                      + PREFIX
                      + "resume"));
    }
  }

  private static Duration waitOf(JsonNode body) {
    JsonNode w = body.path("waitSeconds");
    if (w.isMissingNode() || w.isNull()) {
      return Duration.ZERO;
    }
    if (!w.isNumber() || w.asDouble() < 0 || w.asDouble() > MAX_WAIT_SECONDS) {
      throw new BadRequest("waitSeconds must be a number from 0 to " + MAX_WAIT_SECONDS + ": " + w);
    }
    return Duration.ofMillis((long) (w.asDouble() * 1000));
  }

  private PauseReport awaitStopped(Duration wait) {
    try {
      return pause.awaitStopped(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return pause.pauseReport();
    }
  }

  private static void handle(HttpExchange ex, Endpoint endpoint) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    try {
      endpoint.serve(ex);
    } catch (MethodNotAllowed e) {
      ex.getResponseHeaders().set("Allow", e.allowed);
      send(
          ex,
          405,
          error("MethodNotAllowed", method + " " + path + " is not allowed; use " + e.allowed));
    } catch (InvalidStateTransitionException e) {
      send(ex, 400, error("InvalidStateTransition", e.getMessage()));
    } catch (BadRequest e) {
      send(ex, e.status, error(e.error, e.getMessage()));
    } catch (ControlException e) {
      send(ex, 503, error(e.error(), e.getMessage()));
    } catch (RuntimeException e) {
      send(ex, 500, error("InternalError", String.valueOf(e.getMessage())));
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
          throw new BadRequest(
              "at must be an RFC 3339 UTC timestamp such as 2024-05-01T12:00:00.123456Z: " + v);
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

  /**
   * A POST body must be declared JSON and be small; it may be empty, otherwise a JSON object. A
   * declared length over the limit is refused before anything is read; an undeclared one when the
   * limit is passed.
   */
  static void readBody(HttpExchange ex) throws IOException {
    readJsonBody(ex);
  }

  /** {@link #readBody}'s checks, then the body as a JSON object (empty when there is none). */
  public static ObjectNode readJsonBody(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null
        || !type.trim().toLowerCase(java.util.Locale.ROOT).matches("application/json\\s*(;.*)?")) {
      throw new BadRequest(
          415,
          "UnsupportedMediaType",
          "POST needs 'Content-Type: application/json', got "
              + (type == null ? "none" : "'" + type + "'"));
    }
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null && parseLength(length) > MAX_BODY_BYTES) {
      throw tooLarge(length + " bytes");
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] raw = in.readNBytes(MAX_BODY_BYTES + 1);
      if (raw.length > MAX_BODY_BYTES) {
        throw tooLarge("more than " + MAX_BODY_BYTES + " bytes");
      }
      String body = new String(raw, StandardCharsets.UTF_8).trim();
      if (body.isEmpty()) {
        return Json.object();
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
      return (ObjectNode) n;
    }
  }

  private static long parseLength(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      throw new BadRequest("Content-Length is not a number: " + length);
    }
  }

  private static BadRequest tooLarge(String size) {
    return new BadRequest(
        413,
        "RequestTooLarge",
        "request body of "
            + size
            + " refused; at most "
            + MAX_BODY_BYTES
            + " bytes are accepted (pause and resume take {} or nothing)");
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

  static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
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

  /** A refused request: its HTTP status and error name; thrown by {@link #readJsonBody}. */
  public static final class BadRequest extends RuntimeException {
    final int status;
    final String error;

    BadRequest(String message) {
      this(400, "InvalidRequest", message);
    }

    BadRequest(int status, String error, String message) {
      super(message);
      this.status = status;
      this.error = error;
    }
  }

  /** A running control API. */
  public static final class Handle implements AutoCloseable {
    private final ControlServer api;
    private final HttpServer server;
    private final ExecutorService pool;
    private final String token;
    private final boolean tokenGiven;

    private Handle(
        ControlServer api,
        HttpServer server,
        ExecutorService pool,
        String token,
        boolean tokenGiven) {
      this.api = api;
      this.server = server;
      this.pool = pool;
      this.token = token;
      this.tokenGiven = tokenGiven;
    }

    /**
     * The lines a run prints once when the API is up: URL, dashboard and endpoints, and — bound
     * beyond loopback with a generated token — that token. It is printed here only, never logged.
     */
    public List<String> announce(String who) {
      List<String> lines = new ArrayList<>();
      lines.add(
          who
              + ": control API on "
              + url()
              + " (dashboard GET /, GET /api/v1/progress, POST /api/v1/pause,"
              + " POST /api/v1/resume)");
      if (token != null) {
        lines.add(
            who
                + ": the API is bound beyond loopback; every API call needs 'Authorization: Bearer "
                + (tokenGiven ? "<the token of --api-token-file>" : token)
                + "'"
                + (tokenGiven ? "" : " (dashboard: " + url() + "/#token=" + token + ")"));
      }
      return lines;
    }

    /** The token API calls need; empty on loopback. */
    public Optional<String> token() {
      return Optional.ofNullable(token);
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}; endpoints are under {@code /api/v1/}. */
    public String url() {
      InetSocketAddress a = server.getAddress();
      String host = a.getAddress().getHostAddress();
      return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * Adds {@code /api/v1/<endpoint>} served by {@code handler} (e.g. the cut-back endpoints),
     * behind the same Host / Origin / token guard as every other endpoint.
     */
    public void register(String endpoint, com.sun.net.httpserver.HttpHandler handler) {
      server.createContext(PREFIX + endpoint, api.guarded(handler::handle));
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
