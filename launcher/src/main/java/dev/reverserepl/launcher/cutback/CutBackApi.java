package dev.reverserepl.launcher.cutback;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.reverserepl.launcher.operate.ControlServer;
import dev.reverserepl.launcher.operate.InvalidStateTransitionException;
import dev.reverserepl.launcher.operate.JsonExchange;
import java.io.IOException;
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
        JsonExchange.send(
            ex,
            405,
            JsonExchange.error(
                "MethodNotAllowed",
                ex.getRequestMethod()
                    + " "
                    + ex.getRequestURI().getPath()
                    + " is not allowed; use POST"));
        return;
      }
      try {
        JsonNode body = JsonExchange.readJsonBody(ex);
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
        JsonExchange.send(ex, 200, JsonExchange.success());
      } catch (InvalidStateTransitionException e) {
        JsonExchange.send(ex, 400, JsonExchange.error("InvalidStateTransition", e.getMessage()));
      } catch (CutBackError e) {
        int status =
            switch (e.error()) {
              case "WriteBlockingNotEnabled", "InvalidRequest" -> 400;
              case "CommitTimeout" -> 504;
              default -> 503;
            };
        JsonExchange.send(ex, status, JsonExchange.error(e.error(), e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        JsonExchange.send(
            ex, 503, JsonExchange.error("Interrupted", "the control API is shutting down"));
      } catch (JsonExchange.BadRequest e) {
        throw e; // content type, size and JSON shape: answered by the control API like every other
        // endpoint
      } catch (RuntimeException e) {
        JsonExchange.send(
            ex, 500, JsonExchange.error("InternalError", String.valueOf(e.getMessage())));
      }
    }
  }
}
