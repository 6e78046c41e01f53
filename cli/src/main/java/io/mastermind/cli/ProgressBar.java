package io.mastermind.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line text progress bar, redrawn in place with {@code \r} when it changes:
 * {@code [###############---------------]  50% running}.
 */
final class ProgressBar {

  static final int WIDTH = 30;

  private final PrintWriter out;
  private String last = "";

  ProgressBar(PrintWriter out) {
    this.out = out;
  }

  /** The bar for a fraction in [0, 1] (clamped) and a status word. */
  static String render(double fraction, String status) {
    double clamped = Double.isFinite(fraction) ? Math.max(0.0, Math.min(1.0, fraction)) : 0.0;
    int filled = (int) Math.round(clamped * WIDTH);
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
      + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(clamped * 100 + 1e-9)) + " " + status;
  }

  void update(double fraction, String status) {
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
    out.println();
    out.flush();
  }
}
