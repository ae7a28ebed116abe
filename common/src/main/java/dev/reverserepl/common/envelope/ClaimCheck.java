package dev.reverserepl.common.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reverserepl.common.json.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Envelopes too large for the buffer travel by reference, so that a stream never gets a hole: the
 * envelope is written to a claim-check directory (local or {@code gs://}) and the message carries a
 * small reference instead — {@code
 * {"v":1,"claimCheck":"<file>","shardId","partition","epoch","firstSeq","lastSeq","bytes","sha256"}}.
 * The file name is derived from the envelope's stream and sequences, so a retried publish rewrites
 * the same file. The writer resolves a reference with {@link #decode}, checking size, digest and
 * sequences.
 */
public final class ClaimCheck implements Serializable {
  public static final String FIELD = "claimCheck";

  /** References are tiny; anything longer is an envelope and is not parsed twice. */
  private static final int MAX_REFERENCE_BYTES = 4096;

  private final String directory;
  private final long maxPayloadBytes;

  /**
   * @param directory where oversized envelopes go; empty = none (an oversized envelope is then a
   *     clear error)
   * @param maxPayloadBytes the largest payload the buffer takes
   */
  public ClaimCheck(String directory, long maxPayloadBytes) {
    this.directory = Objects.requireNonNull(directory, "directory");
    if (maxPayloadBytes < MAX_REFERENCE_BYTES) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must be >= " + MAX_REFERENCE_BYTES + ": " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public long maxPayloadBytes() {
    return maxPayloadBytes;
  }

  public String directory() {
    return directory;
  }

  public ClaimCheck withMaxPayloadBytes(long v) {
    return new ClaimCheck(directory, v);
  }

  /**
   * The message payload of {@code e}: its encoding, or a reference when the encoding exceeds the
   * limit.
   */
  public byte[] payload(Envelope e) {
    byte[] bytes = EnvelopeCodec.encode(e);
    if (bytes.length <= maxPayloadBytes) {
      return bytes;
    }
    String where =
        e.shardId()
            + "/"
            + e.partition()
            + "/"
            + e.epoch()
            + " sequences "
            + e.firstSequence()
            + ".."
            + e.lastSequence();
    if (directory.isEmpty()) {
      throw new IllegalStateException(
          "envelope "
              + where
              + " is "
              + bytes.length
              + " bytes, over the buffer's limit"
              + " of "
              + maxPayloadBytes
              + "; set claimCheckDirectory so that it travels by reference");
    }
    String file =
        stripSlash(directory)
            + "/claim-"
            + e.shardId()
            + "-"
            + e.partition()
            + "-"
            + e.epoch()
            + "-"
            + e.firstSequence()
            + "-"
            + e.lastSequence()
            + ".json";
    write(file, bytes);
    ObjectNode ref = Json.object();
    ref.put("v", Envelope.FORMAT_VERSION);
    ref.put(FIELD, file);
    ref.put("shardId", e.shardId());
    ref.put("partition", e.partition());
    ref.put("epoch", e.epoch());
    ref.put("firstSeq", e.firstSequence());
    ref.put("lastSeq", e.lastSequence());
    ref.put("bytes", bytes.length);
    ref.put("sha256", sha256(bytes));
    return Json.write(ref).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The envelope a payload carries, fetching it when the payload is a reference. A reference whose
   * file is missing or does not match is an {@link IllegalArgumentException} naming the file; a
   * failing read is an {@link UncheckedIOException} (worth retrying).
   */
  public static Envelope decode(byte[] payload) {
    JsonNode ref = reference(payload);
    if (ref == null) {
      return EnvelopeCodec.decode(payload);
    }
    String file = ref.get(FIELD).asText();
    byte[] bytes;
    try {
      bytes = read(file);
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("claim-check file " + file + " is missing", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read claim-check file " + file, e);
    }
    if (bytes.length != ref.path("bytes").asLong()
        || !sha256(bytes).equals(ref.path("sha256").asText())) {
      throw new IllegalArgumentException(
          "claim-check file " + file + " does not match its reference (size or" + " sha256)");
    }
    Envelope e = EnvelopeCodec.decode(bytes);
    if (!e.shardId().equals(ref.path("shardId").asText())
        || e.firstSequence() != ref.path("firstSeq").asLong()
        || e.lastSequence() != ref.path("lastSeq").asLong()
        || e.epoch() != ref.path("epoch").asLong()) {
      throw new IllegalArgumentException(
          "claim-check file " + file + " holds another envelope than referenced");
    }
    return e;
  }

  /** True when {@code payload} is a reference rather than an envelope. */
  public static boolean isReference(byte[] payload) {
    return reference(payload) != null;
  }

  private static JsonNode reference(byte[] payload) {
    if (payload.length > MAX_REFERENCE_BYTES) {
      return null;
    }
    try {
      JsonNode n = Json.mapper().readTree(payload);
      return n != null && n.has(FIELD) ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void write(String file, byte[] bytes) {
    try {
      ResourceId id = resource(file);
      try (OutputStream out =
          Channels.newOutputStream(FileSystems.create(id, "application/json"))) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write claim-check file " + file, e);
    }
  }

  private static byte[] read(String file) throws IOException {
    ResourceId id;
    try {
      id = FileSystems.matchSingleFileSpec(file).resourceId();
    } catch (FileNotFoundException e) {
      throw e;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("No files matched")) {
        throw new FileNotFoundException(file);
      }
      throw e;
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      return in.readAllBytes();
    }
  }

  // Outside a pipeline only the local file system is registered until options are set.
  private static ResourceId resource(String spec) {
    if (!spec.contains("://")) {
      try {
        java.nio.file.Files.createDirectories(
            java.nio.file.Path.of(spec).toAbsolutePath().getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the claim-check directory of " + spec, e);
      }
    }
    try {
      return FileSystems.matchNewResource(spec, false);
    } catch (IllegalArgumentException e) {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
      return FileSystems.matchNewResource(spec, false);
    }
  }

  private static String stripSlash(String dir) {
    return dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
