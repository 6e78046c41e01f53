package io.mastermind.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The node fat jar ({@code mastermind.jar}, packaged before the ITs) run as a user runs it, to its exit. */
public final class FatJar {

  /** Exit code and everything printed. */
  public record Ran(int exit, String out, String err) {
  }

  private FatJar() {
  }

  /**
   * {@code java [jvm] -jar mastermind.jar [args]} with {@code env} added to an environment without any
   * {@code MASTERMIND_*} variable of the test's own; stdout and stderr go to files in {@code dir}, so
   * neither pipe can fill and stall it. Waits at most 90 s for the exit.
   */
  public static Ran run(Path dir, Map<String, String> env, List<String> jvm, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
    command.addAll(jvm);
    command.addAll(List.of("-jar", System.getProperty("mastermind.jar")));
    command.addAll(args);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("MASTERMIND_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not exit within 90 s");
    }
    return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
