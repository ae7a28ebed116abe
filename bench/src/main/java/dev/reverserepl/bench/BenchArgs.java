package dev.reverserepl.bench;

/** Command-line settings of the benchmark. */
final class BenchArgs {
  long changes = 200_000;
  int batchSize = 1000;
  int rounds = 5;
  int variantRounds = 1;
  boolean variants = true;
  boolean quick;
  boolean skipApply;
  boolean skipEndToEnd;
  boolean skipLag;
  boolean skipPrefilled;
  boolean skipOrdering;
  boolean skipReplay;
  long[] replays = {20_000, 200_000, 1_000_000};
  long[] backlogs = {10_000, 100_000, 1_000_000, 5_000_000};
  int e2eChanges = 200_000;
  int[] e2eShards = {1, 4};
  int[] lagShards = {1, 4};
  int lagRate = 5_000;
  int lagSeconds = 120;

  static BenchArgs parse(String[] args) {
    BenchArgs a = new BenchArgs();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> a.quick();
        case "--changes" -> a.changes = Long.parseLong(args[++i]);
        case "--batch-size" -> a.batchSize = Integer.parseInt(args[++i]);
        case "--rounds" -> a.rounds = Integer.parseInt(args[++i]);
        case "--no-variants" -> a.variants = false;
        case "--variant-rounds" -> a.variantRounds = Integer.parseInt(args[++i]);
        case "--skip-apply" -> a.skipApply = true;
        case "--skip-e2e" -> a.skipEndToEnd = true;
        case "--skip-lag" -> a.skipLag = true;
        case "--skip-prefilled" -> a.skipPrefilled = true;
        case "--skip-ordering" -> a.skipOrdering = true;
        case "--skip-replay" -> a.skipReplay = true;
        case "--replays" -> a.replays = longs(args[++i]);
        case "--e2e-changes" -> a.e2eChanges = Integer.parseInt(args[++i]);
        case "--e2e-shards" -> a.e2eShards = ints(args[++i]);
        case "--lag-shards" -> a.lagShards = ints(args[++i]);
        case "--lag-rate" -> a.lagRate = Integer.parseInt(args[++i]);
        case "--lag-seconds" -> a.lagSeconds = Integer.parseInt(args[++i]);
        case "--backlogs" -> a.backlogs = longs(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + " (known: --quick --changes N --batch-size N --rounds N --no-variants"
                    + " --variant-rounds N"
                    + " --skip-apply --skip-e2e --skip-lag --skip-prefilled --skip-ordering --skip-replay"
                    + " --e2e-changes N --e2e-shards a,b --lag-shards a,b --lag-rate N"
                    + " --lag-seconds N --backlogs a,b,c --replays a,b,c)");
      }
    }
    return a;
  }

  /** Every figure, smaller and on one shard: under 5 minutes on 2 cores. Later flags override. */
  private void quick() {
    quick = true;
    changes = 50_000;
    rounds = 2;
    variants = false;
    e2eChanges = 50_000;
    e2eShards = new int[] {1};
    lagShards = new int[] {1};
    lagSeconds = 30;
    backlogs = new long[] {10_000, 100_000};
    replays = new long[] {2_000};
  }

  private static long[] longs(String list) {
    String[] parts = list.split(",");
    long[] v = new long[parts.length];
    for (int j = 0; j < parts.length; j++) {
      v[j] = Long.parseLong(parts[j].trim());
    }
    return v;
  }

  private static int[] ints(String list) {
    long[] l = longs(list);
    int[] v = new int[l.length];
    for (int j = 0; j < l.length; j++) {
      v[j] = Math.toIntExact(l[j]);
    }
    return v;
  }
}
