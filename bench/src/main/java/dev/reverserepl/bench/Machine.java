package dev.reverserepl.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures depend on besides the code: cores and how busy the machine is. */
final class Machine {
  private Machine() {}

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The 1, 5 and 15 minute load averages as the kernel reports them ("?" where unknown). */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** CPU time this JVM has used, in nanoseconds (0 where unknown). */
  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  /**
   * CPU time the local MySQL server processes (mariadbd, mysqld) have used, in nanoseconds, from
   * /proc (0 where unknown); clock ticks are taken as 100 per second, Linux's fixed USER_HZ.
   */
  static long serverCpuNanos() {
    long ticks = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        ticks += serverTicks(p);
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return ticks * 10_000_000L;
  }

  private static long serverTicks(Path proc) {
    if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
      return 0;
    }
    try {
      String stat = Files.readString(proc.resolve("stat"));
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String name = stat.substring(open + 1, close);
      if (!name.equals("mariadbd") && !name.equals("mysqld")) {
        return 0;
      }
      String[] f = stat.substring(close + 2).split(" ");
      // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
