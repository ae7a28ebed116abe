package dev.reverserepl.launcher.launch;

import static dev.reverserepl.launcher.launch.LaunchArgs.bad;

/** The workers of one job: how many it starts with and how far it may scale. */
public record WorkerPool(int workers, int maxWorkers) {

  /**
   * @param job {@code ordering} or {@code writer}: errors name {@code <job>Workers} and {@code
   *     <job>MaxWorkers}
   * @param maxWorkers 0 or less means {@code workers}
   */
  static WorkerPool of(String job, int workers, int maxWorkers) {
    if (workers < 1) {
      throw bad(job + "Workers", "must be at least 1, got " + workers);
    }
    int max = maxWorkers <= 0 ? workers : maxWorkers;
    if (max < workers) {
      throw bad(job + "MaxWorkers", max + " is below " + job + "Workers " + workers);
    }
    return new WorkerPool(workers, max);
  }

  public WorkerPool {
    if (workers < 1 || maxWorkers < workers) {
      throw new IllegalArgumentException(
          "need 1 <= workers <= maxWorkers, got " + workers + " and " + maxWorkers);
    }
  }
}
