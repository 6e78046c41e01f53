package io.mastermind.resources;

/** An amount of cpu cores, memory in MB and gpus: a node's capacity, what is free, or what a task asks. */
public record Resources(double cpu, long memory, int gpu) {

  public static final Resources ZERO = new Resources(0, 0, 0);
  /** Slack for floating point cpu sums (0.1 + 0.2 cores). */
  private static final double EPSILON = 1e-9;

  public Resources {
    if (cpu < -EPSILON || memory < 0 || gpu < 0) {
      throw new IllegalArgumentException("resources must not be negative: " + cpu + " cpu, " + memory + " MB, " + gpu + " gpu");
    }
  }

  public boolean covers(Resources request) {
    return covers(cpu, memory, gpu, request);
  }

  /**
   * {@link #covers} for an amount held as loose numbers, with the same cpu slack: lets an index compare
   * the maxima it keeps per subtree without building a record for each.
   */
  public static boolean covers(double cpu, long memory, int gpu, Resources request) {
    return cpu + EPSILON >= request.cpu && memory >= request.memory && gpu >= request.gpu;
  }

  public Resources plus(Resources other) {
    return new Resources(cpu + other.cpu, memory + other.memory, gpu + other.gpu);
  }

  /** Each dimension capped at {@code cap}'s. */
  public Resources min(Resources cap) {
    return new Resources(Math.min(cpu, cap.cpu), Math.min(memory, cap.memory), Math.min(gpu, cap.gpu));
  }

  /** What is left, never below zero. */
  public Resources minus(Resources other) {
    return new Resources(Math.max(0, cpu - other.cpu), Math.max(0, memory - other.memory), Math.max(0, gpu - other.gpu));
  }
}
