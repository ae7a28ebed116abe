package dev.reverserepl.launcher.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.reverserepl.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * JSON over an {@link HttpExchange}, the one way every control API endpoint reads a request body
 * and answers: bodies are declared JSON, at most {@value #MAX_BODY_BYTES} bytes and a JSON object;
 * answers are {@code {"success": true}} or {@code {"success": false, "error", "errorDescription"}}.
 */
public final class JsonExchange {
  /** The largest request body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private JsonExchange() {}

  static void requireMethod(HttpExchange ex, String method) {
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
        || !type.trim().toLowerCase(Locale.ROOT).matches("application/json\\s*(;.*)?")) {
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

  public static ObjectNode success() {
    ObjectNode o = Json.object();
    o.put("success", true);
    return o;
  }

  public static ObjectNode error(String name, String description) {
    ObjectNode o = Json.object();
    o.put("success", false);
    o.put("error", name);
    o.put("errorDescription", description);
    return o;
  }

  public static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static final class MethodNotAllowed extends RuntimeException {
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
}
