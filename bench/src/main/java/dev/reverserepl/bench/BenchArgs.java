package dev.reverserepl.bench;

/** Command-line settings of the benchmark. */
final class BenchArgs {
  long changes = 200_000;
  int batchSize = 1000;
  boolean skipApply;
  boolean skipEndToEnd;
  boolean skipOrdering;
  boolean skipReplay;
  long[] replays = {20_000, 200_000, 1_000_000};
  long[] backlogs = {10_000, 100_000, 1_000_000, 5_000_000};
  int e2eChanges = 100_000;
  int lagRate = 5_000;
  int lagSeconds = 20;

  static BenchArgs parse(String[] args) {
    BenchArgs a = new BenchArgs();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--changes" -> a.changes = Long.parseLong(args[++i]);
        case "--batch-size" -> a.batchSize = Integer.parseInt(args[++i]);
        case "--skip-apply" -> a.skipApply = true;
        case "--skip-e2e" -> a.skipEndToEnd = true;
        case "--skip-ordering" -> a.skipOrdering = true;
        case "--skip-replay" -> a.skipReplay = true;
        case "--replays" -> a.replays = longs(args[++i]);
        case "--e2e-changes" -> a.e2eChanges = Integer.parseInt(args[++i]);
        case "--lag-rate" -> a.lagRate = Integer.parseInt(args[++i]);
        case "--lag-seconds" -> a.lagSeconds = Integer.parseInt(args[++i]);
        case "--backlogs" -> a.backlogs = longs(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + " (known: --changes N --batch-size N --skip-apply --skip-e2e --skip-ordering"
                    + " --skip-replay --e2e-changes N --lag-rate N --lag-seconds N --backlogs a,b,c --replays a,b,c)");
      }
    }
    return a;
  }

  private static long[] longs(String list) {
    String[] parts = list.split(",");
    long[] v = new long[parts.length];
    for (int j = 0; j < parts.length; j++) {
      v[j] = Long.parseLong(parts[j].trim());
    }
    return v;
  }
}
