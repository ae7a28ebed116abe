package dev.reverserepl.common.changes;

import com.google.cloud.Timestamp;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * The Gson set-up for Beam's DataChangeRecord JSON: the same field names Google's
 * change-streams-to-GCS template writes, with {@link Timestamp} as {@code
 * {"seconds":..,"nanos":..}} spelled out rather than left to reflection into a class we do not own.
 */
final class ChangeRecordGson {
  static final Gson GSON =
      new GsonBuilder()
          .registerTypeAdapter(Timestamp.class, new TimestampAdapter())
          .disableHtmlEscaping()
          .create();

  private ChangeRecordGson() {}

  static final class TimestampAdapter extends TypeAdapter<Timestamp> {
    @Override
    public void write(JsonWriter out, Timestamp t) throws IOException {
      if (t == null) {
        out.nullValue();
        return;
      }
      out.beginObject()
          .name("seconds")
          .value(t.getSeconds())
          .name("nanos")
          .value(t.getNanos())
          .endObject();
    }

    @Override
    public Timestamp read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        return null;
      }
      long seconds = 0;
      int nanos = 0;
      in.beginObject();
      while (in.hasNext()) {
        String name = in.nextName();
        if (name.equals("seconds")) {
          seconds = in.nextLong();
        } else if (name.equals("nanos")) {
          nanos = in.nextInt();
        } else {
          in.skipValue();
        }
      }
      in.endObject();
      return Timestamp.ofTimeSecondsAndNanos(seconds, nanos);
    }
  }
}
