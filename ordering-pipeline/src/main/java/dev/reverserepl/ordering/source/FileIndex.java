package dev.reverserepl.ordering.source;

import java.io.Serializable;

/**
 * Where to resume reading one change-record file and how far its commit times have progressed:
 * chunk {@code i} begins at byte {@code offsets[i]} after {@code linesBefore[i]} lines, and no
 * record from chunk {@code i} on commits before {@code suffixMinMillis[i]}. That suffix minimum is
 * a correct watermark whatever the order of the records in the file: in commit order it follows the
 * read, in any other order it only moves more slowly.
 */
record FileIndex(
    String file, long[] offsets, long[] linesBefore, long[] suffixMinMillis, long records)
    implements Serializable {
  FileIndex {
    if (offsets.length != linesBefore.length || offsets.length != suffixMinMillis.length) {
      throw new IllegalArgumentException("index of " + file + " has arrays of different lengths");
    }
  }

  int chunks() {
    return offsets.length;
  }
}
