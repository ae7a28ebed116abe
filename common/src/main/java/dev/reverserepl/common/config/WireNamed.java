package dev.reverserepl.common.config;

/**
 * A value of a mode option: an enum constant inside the code, spelled {@link #wireName()} wherever
 * it crosses a boundary (pipeline options, command-line flags, template metadata, printed lines),
 * so the spelling outside stays fixed whatever the constant is called.
 */
public interface WireNamed {
  /** The exact external spelling. */
  String wireName();
}
