package io.mastermind.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line text progress bar, redrawn in place with {@code \r} when it changes:
 * {@code [###############---------------]  50% running}. Not on a terminal (output redirected to a
 * file or a pipe) it writes no control characters: a plain line each time the status or the tenth changes.
 */
final class ProgressBar {

  static final int WIDTH = 30;

  private final PrintWriter out;
  private final boolean inPlace;
  private String last = "";
  private String lastStatus;
  private int lastTenth = -1;

  ProgressBar(PrintWriter out) {
    this(out, true);
  }

  ProgressBar(PrintWriter out, boolean inPlace) {
    this.out = out;
    this.inPlace = inPlace;
  }

  /** In place when this JVM talks to a terminal (Java 17: a console exists only when stdin and stdout are one). */
  static ProgressBar forConsole(PrintWriter out) {
    return new ProgressBar(out, System.console() != null);
  }

  /** The bar for a fraction in [0, 1] (clamped) and a status word. */
  static String render(double fraction, String status) {
    double clamped = Double.isFinite(fraction) ? Math.max(0.0, Math.min(1.0, fraction)) : 0.0;
    int filled = (int) Math.round(clamped * WIDTH);
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
      + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(clamped * 100 + 1e-9)) + " " + status;
  }

  void update(double fraction, String status) {
    if (!inPlace) {
      int tenth = Double.isFinite(fraction) ? (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 10) : 0;
      if (!status.equals(lastStatus) || tenth != lastTenth) {
        out.println(Table.cell(render(fraction, status)));
        out.flush();
        lastStatus = status;
        lastTenth = tenth;
      }
      return;
    }
    String line = render(fraction, status);
    if (!line.equals(last)) {
      // pad to wipe a longer previous line
      out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
      out.flush();
      last = line;
    }
  }

  /** Draws the final state and ends the line. */
  void finish(double fraction, String status) {
    update(fraction, status);
    if (inPlace) {
      out.println();
    }
    out.flush();
  }
}
