package dev.reverserepl.launcher.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.control.ControlTable;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.shards.Shard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control API's request guard over raw HTTP on loopback (raw, so that Host and Origin can be
 * whatever a hostile page would send), against real shards whose pause flag must stay untouched by
 * refused requests.
 */
class ControlApiSecurityTest {
  static List<Shard> shards;
  SyncStateMachine machine;
  ControlServer.Handle api;

  @BeforeAll
  static void shards() {
    shards = OperateFixtures.freshShards("apisec", "shard1", "shard2");
  }

  @BeforeEach
  void startApi() {
    machine = new SyncStateMachine();
    machine.transition(SyncState.STARTING);
    ShardsPauseControl pause = new ShardsPauseControl(machine, shards);
    pause.clearFlags();
    machine.transition(SyncState.RUNNING);
    ShardsProgressSource source =
        new ShardsProgressSource(
            new ProgressReader(shards), DirectionMapping.of("proj/inst/db", shards), null);
    api = ControlServer.start(ControlSettings.defaults(), source, pause);
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  record Reply(int status, String body) {
    JsonNode json() throws IOException {
      return Json.parse(body);
    }
  }

  /**
   * One HTTP/1.1 request with exactly these headers; the body is streamed while the answer is read.
   */
  Reply raw(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), api.address().getPort())) {
      StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int off = 0; off < body.length; off += 65536) {
                    out.write(body, off, Math.min(65536, body.length - off));
                  }
                  out.flush();
                } catch (IOException e) {
                  // The server may close before a refused body is sent in full; the answer is what
                  // matters.
                }
              });
      String response = readResponse(s.getInputStream());
      sending.cancel(true);
      int status = Integer.parseInt(response.substring(9, 12));
      int split = response.indexOf("\r\n\r\n");
      return new Reply(status, split < 0 ? "" : response.substring(split + 4));
    }
  }

  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n; (n = in.read(chunk)) > 0; ) {
        buf.write(chunk, 0, n);
        String sofar = buf.toString(StandardCharsets.UTF_8);
        int split = sofar.indexOf("\r\n\r\n");
        if (split >= 0 && sofar.endsWith("}\n")) {
          break;
        }
      }
    } catch (IOException e) {
      if (buf.size() == 0) {
        throw e;
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  String host() {
    return "127.0.0.1:" + api.address().getPort();
  }

  void assertNotPaused() throws Exception {
    assertEquals(SyncState.RUNNING, machine.current());
    for (Shard s : shards) {
      try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password())) {
        assertFalse(new ControlTable().isPaused(c), s.logicalShardId());
      }
    }
  }

  @Test
  void rule1_rule2_crossSitePostIsRefusedAndDoesNotPause() throws Exception {
    Reply r =
        raw(
            "POST",
            "/api/v1/pause",
            Map.of(
                "Host",
                "evil.example",
                "Origin",
                "http://evil.example",
                "Content-Type",
                "text/plain"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(403, r.status(), r.body());
    assertFalse(r.json().get("success").asBoolean());
    assertEquals("ForbiddenHost", r.json().get("error").asText());
    assertNotPaused();
  }

  @Test
  void rule1_foreignHostCannotReadTheProgressDocument() throws Exception {
    Reply r =
        raw(
            "GET",
            "/api/v1/progress",
            Map.of("Host", "rebound.example:" + api.address().getPort()),
            new byte[0]);
    assertEquals(403, r.status(), r.body());
    assertEquals("ForbiddenHost", r.json().get("error").asText());
    assertEquals(
        200,
        raw(
                "GET",
                "/api/v1/progress",
                Map.of("Host", "localhost:" + api.address().getPort()),
                new byte[0])
            .status());
  }

  @Test
  void rule2_crossOriginPostWithOurHostIsRefused() throws Exception {
    Reply r =
        raw(
            "POST",
            "/api/v1/pause",
            Map.of(
                "Host",
                host(),
                "Origin",
                "http://evil.example",
                "Content-Type",
                "application/json"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(403, r.status(), r.body());
    assertEquals("ForbiddenOrigin", r.json().get("error").asText());
    assertNotPaused();

    Reply same =
        raw(
            "POST",
            "/api/v1/pause",
            Map.of(
                "Host", host(), "Origin", "http://" + host(), "Content-Type", "application/json"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, same.status(), same.body());
    assertEquals(SyncState.PAUSED, machine.current());
  }

  @Test
  void rule4_postWithoutJsonContentTypeIsRefused() throws Exception {
    Reply r =
        raw(
            "POST",
            "/api/v1/pause",
            Map.of("Host", host(), "Content-Type", "text/plain"),
            "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(415, r.status(), r.body());
    assertEquals("UnsupportedMediaType", r.json().get("error").asText());
    assertTrue(r.json().get("errorDescription").asText().contains("application/json"), r.body());
    assertNotPaused();
  }

  @Test
  void rule5_twentyMegabyteBodyGetsTheJsonError() throws Exception {
    byte[] big = new byte[20 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    Reply r =
        raw(
            "POST",
            "/api/v1/pause",
            Map.of("Host", host(), "Content-Type", "application/json"),
            big);
    assertEquals(413, r.status(), r.body());
    assertEquals("RequestTooLarge", r.json().get("error").asText());
    assertTrue(
        r.json()
            .get("errorDescription")
            .asText()
            .contains(String.valueOf(ControlServer.MAX_BODY_BYTES)));
    assertNotPaused();
  }

  @Test
  void rule3_beyondLoopbackEveryApiCallNeedsTheToken() throws Exception {
    RequestGuard guard = RequestGuard.forBinding(InetAddress.getByName("10.1.2.3"), "s3cret-token");
    assertTrue(guard.requiresToken());
    String host = "10.1.2.3:8080";
    assertEquals(401, guard.check(host, null, null, true).orElseThrow().status());
    assertEquals(401, guard.check(host, null, "Bearer wrong", true).orElseThrow().status());
    assertEquals(Optional.empty(), guard.check(host, null, "Bearer s3cret-token", true));
    // The dashboard page holds no data; it sends the token on its own calls.
    assertEquals(Optional.empty(), guard.check(host, null, null, false));
    assertEquals(
        403, guard.check("evil.example", null, "Bearer s3cret-token", true).orElseThrow().status());
    assertThrows(
        IllegalArgumentException.class,
        () -> RequestGuard.forBinding(InetAddress.getByName("10.1.2.3"), null));
    assertFalse(RequestGuard.forBinding(InetAddress.getLoopbackAddress(), null).requiresToken());
  }

  @Test
  void rule3_theGeneratedTokenIsAnnouncedOnceAndNeverInTheSettings() {
    ControlSettings given = ControlSettings.defaults().withToken("abc");
    assertFalse(given.toString().contains("abc"), given.toString());
    assertTrue(api.token().isEmpty());
    assertEquals(1, api.announce("test").size());
    assertTrue(api.announce("test").get(0).contains(api.url()));
  }
}
