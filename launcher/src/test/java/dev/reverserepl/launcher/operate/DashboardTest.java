package dev.reverserepl.launcher.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.dlq.DeadLetterQueue;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.shards.Shard;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard ({@code GET /}) loaded in headless Chromium against a live control API on real
 * shards: what the page shows must be what the progress document says. Prints a loud SKIPPED line
 * when Chromium is not installed.
 */
class DashboardTest {

  @TempDir Path dlqDir;
  @TempDir Path profile;

  @Test
  void dashboardShowsStateCutBackShardsDeadLettersAndVerificationOfTheProgressDocument()
      throws Exception {
    Optional<String> chromium = chromium();
    if (chromium.isEmpty()) {
      System.out.println(
          "SKIPPED (no chromium): DashboardTest needs Debian's chromium package"
              + " (apt-get install -y chromium); the dashboard was not checked in a browser");
      return;
    }
    Instant t0 = Instant.now().minusSeconds(30);
    List<Shard> shards = OperateFixtures.freshShards("dash", "shard1", "shard2");
    ProgressTable table = new ProgressTable(ProgressTable.DEFAULT_NAME);
    ControlApiTest.writePosition(table, shards.get(0), t0.plusSeconds(10));
    ControlApiTest.writePosition(table, shards.get(1), t0.plusSeconds(4));
    new DeadLetterQueue(dlqDir.toString())
        .write(DeadLetter.apply("shard1", ControlApiTest.usersInsert(99, t0), "boom", 1, t0));

    SyncStateMachine machine = new SyncStateMachine();
    machine.transition(SyncState.STARTING);
    ShardsPauseControl pause = new ShardsPauseControl(machine, shards);
    pause.clearFlags();
    machine.transition(SyncState.RUNNING);
    ShardsProgressSource source =
        new ShardsProgressSource(
            new ProgressReader(shards),
            DirectionMapping.of("proj/inst/db", shards),
            dlqDir.toString());
    source.observeSourceCommit(t0.plusSeconds(10));
    source.recordVerification(Json.parse("{\"status\":\"MISMATCH\",\"mismatched\":2}"));

    try (ControlServer.Handle api =
        ControlServer.start(ControlSettings.defaults(), source, pause)) {
      JsonNode doc =
          Json.parse(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/progress")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
      Files.createDirectories(shot.getParent());
      Files.deleteIfExists(shot);
      runChromium(
          chromium.get(), "--screenshot=" + shot, "--window-size=1100,900", api.url() + "/");
      String dom = runChromium(chromium.get(), "--dump-dom", api.url() + "/");

      assertEquals(doc.get("state").asText(), byId(dom, "state"), dom);
      assertEquals(doc.get("canCutBack").asBoolean() ? "yes" : "no", byId(dom, "canCutBack"));
      assertEquals("no", byId(dom, "canCutBack"));
      assertEquals(
          doc.get("cutBack").get("pendingDeadLetters").asText(), byId(dom, "pendingDeadLetters"));
      assertEquals("MISMATCH (2 mismatched)", byId(dom, "verification"));
      for (JsonNode reason : doc.get("cutBack").get("blockedBy")) {
        assertTrue(
            dom.contains("<li>" + reason.asText() + "</li>"), "blockedBy " + reason + " in " + dom);
      }
      for (String id : List.of("shard1", "shard2")) {
        Matcher row = Pattern.compile("<tr data-shard=\"" + id + "\">(.*?)</tr>").matcher(dom);
        assertTrue(row.find(), "row of " + id + " in " + dom);
        assertTrue(
            row.group(1)
                .contains(
                    "<td class=\"applied\">"
                        + doc.get("shards").get(id).get("appliedCount").asText()
                        + "</td>"),
            row.group(1));
        assertTrue(
            dom.contains("<polyline") && dom.contains("data-shard=\"" + id + "\""),
            "chart line of " + id);
      }
      assertTrue(Files.size(shot) > 0, "screenshot " + shot);
      System.out.println("dashboard screenshot: " + shot);
    }
  }

  private static String byId(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
    assertTrue(m.find(), "#" + id + " in " + dom);
    return m.group(1);
  }

  private String runChromium(String binary, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(profile, "chromium"),
                "--virtual-time-budget=5000"));
    cmd.addAll(List.of(args));
    Path outFile = Files.createTempFile(profile, "dom", ".html");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(outFile.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish: " + cmd);
    }
    return Files.readString(outFile, StandardCharsets.UTF_8);
  }

  static Optional<String> chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return Optional.of(f.getPath());
        }
      }
    }
    return Optional.empty();
  }
}
