package io.mastermind.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The progress bar draws a fraction as #s and a percentage, in place")
@Timeout(10)
class ProgressBarTest {

  @Test
  @DisplayName("0, one half and all, with the status after the percentage; out of range is clamped")
  void render() {
    assertThat(ProgressBar.render(0, "queued")).isEqualTo("[------------------------------]   0% queued");
    assertThat(ProgressBar.render(0.5, "running")).isEqualTo("[###############---------------]  50% running");
    assertThat(ProgressBar.render(1.0, "succeeded")).isEqualTo("[##############################] 100% succeeded");
    assertThat(ProgressBar.render(1.7, "x")).startsWith("[##############################] 100%");
    assertThat(ProgressBar.render(Double.NaN, "x")).startsWith("[------------------------------]   0%");
    assertThat(ProgressBar.render(0.999, "running")).contains(" 99% ");
  }

  @Test
  @DisplayName("redraws only on change, with a carriage return, and ends the line when finished")
  void inPlace() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text));
    bar.update(0.1, "running");
    bar.update(0.1, "running");
    bar.finish(1.0, "succeeded");
    assertThat(text.toString()).isEqualTo("\r" + ProgressBar.render(0.1, "running") + "\r" + ProgressBar.render(1.0, "succeeded")
      + System.lineSeparator());
  }

  @Test
  @DisplayName("not on a terminal: no carriage return or other control character, a plain line per status or tenth")
  void redirected() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), false);
    bar.update(0.0, "queued");
    bar.update(0.1, "running");
    bar.update(0.15, "running");
    bar.update(0.5, "running");
    bar.finish(1.0, "succeeded");
    String n = System.lineSeparator();
    assertThat(text.toString()).isEqualTo(ProgressBar.render(0.0, "queued") + n + ProgressBar.render(0.1, "running") + n
      + ProgressBar.render(0.5, "running") + n + ProgressBar.render(1.0, "succeeded") + n);
    assertThat(text.toString().replace(n, "")).doesNotContainPattern("\\p{Cntrl}");
  }
}
