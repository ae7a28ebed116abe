package dev.reverserepl.writer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** The gcloud SDK's Pub/Sub emulator as a child process, driven over its REST API. */
final class PubSubEmulator implements AutoCloseable {
  private final Process process;
  private final String endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  private PubSubEmulator(Process process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** The emulator's directory, or null when the SDK or the component is missing. */
  static Path find() {
    try {
      Process p =
          new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String root = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      Path bin = Path.of(root, "platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator");
      return root.isEmpty() || !Files.isExecutable(bin) ? null : bin;
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }

  static PubSubEmulator start(Path bin, Path dataDir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(bin.toString(), "--host=127.0.0.1", "--port=" + port, "--dir=" + dataDir)
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("emulator.log").toFile())
            .start();
    PubSubEmulator e = new PubSubEmulator(p, "http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        e.http.send(
            HttpRequest.newBuilder(URI.create(e.endpoint + "/v1/projects/x/topics")).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        return e;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    e.close();
    throw new IllegalStateException(
        "Pub/Sub emulator did not start; see " + dataDir.resolve("emulator.log"));
  }

  String endpoint() {
    return endpoint;
  }

  void createTopic(String project, String topic) throws Exception {
    put("/v1/projects/" + project + "/topics/" + topic, "{}");
  }

  void createSubscription(String project, String subscription, String topic) throws Exception {
    put(
        "/v1/projects/" + project + "/subscriptions/" + subscription,
        "{\"topic\":\"projects/" + project + "/topics/" + topic + "\",\"ackDeadlineSeconds\":60}");
  }

  void publish(String project, String topic, byte[] data, Map<String, String> attributes)
      throws Exception {
    StringBuilder attrs = new StringBuilder("{");
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      attrs
          .append(attrs.length() > 1 ? "," : "")
          .append('"')
          .append(a.getKey())
          .append("\":\"")
          .append(a.getValue())
          .append('"');
    }
    attrs.append('}');
    String body =
        "{\"messages\":[{\"data\":\""
            + Base64.getEncoder().encodeToString(data)
            + "\",\"attributes\":"
            + attrs
            + "}]}";
    send("POST", "/v1/projects/" + project + "/topics/" + topic + ":publish", body);
  }

  private void put(String path, String body) throws Exception {
    send("PUT", path, body);
  }

  private void send(String method, String path, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }
}
