package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
  public static final int MAX_BODY_BYTES = JsonExchange.MAX_BODY_BYTES;

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
          JsonExchange.send(
              ex,
              refusal.get().status(),
              JsonExchange.error(refusal.get().error(), refusal.get().description()));
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
      JsonExchange.requireMethod(ex, "GET");
      Dashboard.send(ex);
      return;
    }
    switch (path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "") {
      case "progress" -> {
        JsonExchange.requireMethod(ex, "GET");
        JsonExchange.send(
            ex,
            200,
            ProgressDocument.build(
                pause.state(), progress, at(ex.getRequestURI()), clock.instant()));
      }
      case "pause" -> {
        JsonExchange.requireMethod(ex, "POST");
        Duration wait = waitOf(JsonExchange.readJsonBody(ex));
        pause.pause();
        ObjectNode ok = JsonExchange.success();
        awaitStopped(wait).writeTo(ok);
        JsonExchange.send(ex, 200, ok);
      }
      case "resume" -> {
        JsonExchange.requireMethod(ex, "POST");
        JsonExchange.readBody(ex);
        pause.resume();
        JsonExchange.send(ex, 200, JsonExchange.success());
      }
      default ->
          JsonExchange.send(
              ex,
              404,
              JsonExchange.error(
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
      throw new JsonExchange.BadRequest(
          "waitSeconds must be a number from 0 to " + MAX_WAIT_SECONDS + ": " + w);
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
    } catch (JsonExchange.MethodNotAllowed e) {
      ex.getResponseHeaders().set("Allow", e.allowed);
      JsonExchange.send(
          ex,
          405,
          JsonExchange.error(
              "MethodNotAllowed", method + " " + path + " is not allowed; use " + e.allowed));
    } catch (InvalidStateTransitionException e) {
      JsonExchange.send(ex, 400, JsonExchange.error("InvalidStateTransition", e.getMessage()));
    } catch (JsonExchange.BadRequest e) {
      JsonExchange.send(ex, e.status, JsonExchange.error(e.error, e.getMessage()));
    } catch (ControlException e) {
      JsonExchange.send(ex, 503, JsonExchange.error(e.error(), e.getMessage()));
    } catch (RuntimeException e) {
      JsonExchange.send(
          ex, 500, JsonExchange.error("InternalError", String.valueOf(e.getMessage())));
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
          throw new JsonExchange.BadRequest(
              "at must be an RFC 3339 UTC timestamp such as 2024-05-01T12:00:00.123456Z: " + v);
        }
      }
    }
    return Optional.empty();
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
