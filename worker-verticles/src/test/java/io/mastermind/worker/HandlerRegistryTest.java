package io.mastermind.worker;

import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

@DisplayName("HandlerRegistry loads the built-in handlers and those of plugin jars compiled at test time")
class HandlerRegistryTest {

  private static final String[] BUILTINS = {
    "echo", "fail", "linear-regression", "pi", "primes", "sha256", "sleep", "sort", "stats", "wordcount"};

  private static final String SERVICE_FILE = "META-INF/services/" + TaskHandler.class.getName();

  private static final TaskContext CONTEXT = new TaskContext() {
    @Override
    public String taskId() {
      return "registry-test";
    }

    @Override
    public void reportProgress(double fraction) {
    }

    @Override
    public boolean isCancelled() {
      return false;
    }
  };

  @TempDir
  Path tempDir;

  @Test
  @DisplayName("a handler in a plugins jar is found, runs, and is served next to the ten built-ins")
  void pluginJarAddsAFunction() throws Exception {
    Path plugins = buildPlugin("reverse-plugin.jar", "example.plugin.ReverseHandler", """
      package example.plugin;

      import io.mastermind.worker.spi.TaskContext;
      import io.mastermind.worker.spi.TaskHandler;
      import java.util.Set;

      public class ReverseHandler implements TaskHandler {
        @Override public String function() { return "reverse"; }
        @Override public Set<String> types() { return Set.of("data_processing"); }
        @Override public Object handle(Object data, TaskContext context) {
          return new io.vertx.core.json.JsonObject().put("text",
            new StringBuilder(((io.vertx.core.json.JsonObject) data).getString("text")).reverse().toString());
        }
      }
      """);

    HandlerRegistry registry = HandlerRegistry.load(plugins);

    assertThat(registry.find("reverse")).isPresent();
    TaskHandler reverse = registry.find("reverse").orElseThrow();
    assertThat(reverse.getClass().getName()).isEqualTo("example.plugin.ReverseHandler");
    assertThat(reverse.getClass().getClassLoader()).isNotSameAs(HandlerRegistry.class.getClassLoader());
    assertThat(reverse.handle(new JsonObject().put("text", "abc"), CONTEXT))
      .isEqualTo(new JsonObject().put("text", "cba"));
    assertThat(registry.functions())
      .containsEntry("reverse", Set.of("data_processing"))
      .containsKeys(BUILTINS)
      .hasSize(BUILTINS.length + 1);
  }

  @Test
  @DisplayName("a plugin that declares the function echo replaces the built-in echo")
  void pluginReplacesABuiltin() throws Exception {
    Path plugins = buildPlugin("loud-echo.jar", "example.plugin.LoudEchoHandler", """
      package example.plugin;

      import io.mastermind.worker.spi.TaskContext;
      import io.mastermind.worker.spi.TaskHandler;
      import java.util.Set;

      public class LoudEchoHandler implements TaskHandler {
        @Override public String function() { return "echo"; }
        @Override public Set<String> types() { return Set.of("*"); }
        @Override public Object handle(Object data, TaskContext context) {
          return new io.vertx.core.json.JsonObject().put("echoedBy", "plugin").put("data", data);
        }
      }
      """);

    HandlerRegistry registry = HandlerRegistry.load(plugins);

    TaskHandler echo = registry.find("echo").orElseThrow();
    assertThat(echo.getClass().getName()).isEqualTo("example.plugin.LoudEchoHandler");
    assertThat(echo.handle("hi", CONTEXT)).isEqualTo(new JsonObject().put("echoedBy", "plugin").put("data", "hi"));
    assertThat(registry.functions().keySet()).containsExactlyInAnyOrder(BUILTINS);
  }

  @Test
  @DisplayName("without a plugins folder, or with one that does not exist, only the ten built-ins are served")
  void missingPluginsFolderGivesTheBuiltins() {
    for (Path plugins : new Path[] {tempDir.resolve("no-such-folder"), null}) {
      HandlerRegistry registry = HandlerRegistry.load(plugins);

      assertThat(registry.functions().keySet()).as("plugins folder %s", plugins).containsExactlyInAnyOrder(BUILTINS);
      assertThat(registry.find("echo")).isPresent();
      assertThat(registry.find("reverse")).isEmpty();
    }
  }

  /**
   * Compiles {@code source} (class {@code className}) against the test classpath and packages it, with the
   * service file naming it, as {@code plugins/<jarName>} under the temp dir.
   *
   * @return the plugins folder
   */
  private Path buildPlugin(String jarName, String className, String source) throws IOException {
    Path sources = Files.createDirectories(tempDir.resolve("src-" + jarName));
    Path classes = Files.createDirectories(tempDir.resolve("classes-" + jarName));
    Path plugins = Files.createDirectories(tempDir.resolve("plugins"));
    Path sourceFile = sources.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
    Files.writeString(sourceFile, source);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK (not a JRE) runs the tests").isNotNull();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      List<String> options = List.of(
        "-classpath", System.getProperty("java.class.path"), "-d", classes.toString());
      boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
        files.getJavaFileObjects(sourceFile)).call();
      if (!compiled) {
        fail("cannot compile " + className + ":\n" + diagnostics.getDiagnostics().stream()
          .map(Object::toString).collect(Collectors.joining("\n")));
      }
    }

    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream out = Files.newOutputStream(plugins.resolve(jarName));
         JarOutputStream jar = new JarOutputStream(out, manifest);
         Stream<Path> compiled = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) compiled.filter(Files::isRegularFile)::iterator) {
        jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jar);
        jar.closeEntry();
      }
      jar.putNextEntry(new JarEntry(SERVICE_FILE));
      jar.write((className + "\n").getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return plugins;
  }
}
