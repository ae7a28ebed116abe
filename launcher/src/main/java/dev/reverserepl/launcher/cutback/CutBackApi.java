package dev.reverserepl.launcher.cutback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.launcher.operate.ControlServer;
import dev.reverserepl.launcher.operate.InvalidStateTransitionException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code POST /api/v1/commit} (body {@code {"settleSeconds":5,"timeoutSeconds":600}}, both
 * optional) and {@code POST /api/v1/reverse} (body {@code {"timeoutSeconds":600}} optional).
 * Answers {@code {"success":true}} when done, else {@code
 * {"success":false,"error":NAME,"errorDescription":TEXT}}: 400 InvalidStateTransition,
 * WriteBlockingNotEnabled or InvalidRequest, 405 MethodNotAllowed, 504 CommitTimeout, 503
 * ShardUnreachable or ReverseFailed, 500 InternalError.
 */
public final class CutBackApi implements HttpHandler {
  static final long DEFAULT_SETTLE_SECONDS = 5;
  static final long DEFAULT_TIMEOUT_SECONDS = 600;

  private final CutBackCoordinator coordinator;
  private final String endpoint;

  private CutBackApi(CutBackCoordinator coordinator, String endpoint) {
    this.coordinator = coordinator;
    this.endpoint = endpoint;
  }

  /** Adds both endpoints to a running control API. */
  public static void register(ControlServer.Handle api, CutBackCoordinator coordinator) {
    api.register("commit", new CutBackApi(coordinator, "commit"));
    api.register("reverse", new CutBackApi(coordinator, "reverse"));
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equalsIgnoreCase("POST")) {
        ex.getResponseHeaders().set("Allow", "POST");
        send(
            ex,
            405,
            error(
                "MethodNotAllowed",
                ex.getRequestMethod()
                    + " "
                    + ex.getRequestURI().getPath()
                    + " is not allowed; use POST"));
        return;
      }
      try {
        JsonNode body = body(ex);
        Duration timeout =
            Duration.ofSeconds(body.path("timeoutSeconds").asLong(DEFAULT_TIMEOUT_SECONDS));
        if (endpoint.equals("commit")) {
          coordinator.commit(
              Duration.ofMillis(
                  (long) (body.path("settleSeconds").asDouble(DEFAULT_SETTLE_SECONDS) * 1000)),
              timeout);
        } else {
          coordinator.reverse(timeout);
        }
        ObjectNode ok = Json.object();
        ok.put("success", true);
        send(ex, 200, ok);
      } catch (InvalidStateTransitionException e) {
        send(ex, 400, error("InvalidStateTransition", e.getMessage()));
      } catch (CutBackError e) {
        int status =
            switch (e.error()) {
              case "WriteBlockingNotEnabled", "InvalidRequest" -> 400;
              case "CommitTimeout" -> 504;
              default -> 503;
            };
        send(ex, status, error(e.error(), e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        send(ex, 503, error("Interrupted", "the control API is shutting down"));
      } catch (ControlServer.BadRequest e) {
        throw e; // content type, size and JSON shape: answered by the control API like every other
        // endpoint
      } catch (RuntimeException e) {
        send(ex, 500, error("InternalError", String.valueOf(e.getMessage())));
      }
    }
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    return ControlServer.readJsonBody(ex);
  }

  private static ObjectNode error(String name, String description) {
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
}
