package dev.reverserepl.launcher.launch;

/**
 * Emulators to provision against instead of Google Cloud (tests); each host:port, or null.
 *
 * @param pubsubHost used only with a Pub/Sub buffer
 */
public record Emulators(String spannerHost, String pubsubHost) {
  public static final Emulators NONE = new Emulators(null, null);
}
