package io.mastermind.worker.handlers;

import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code wordcount}: counts the lower-cased words of {@code text}, where a word is a maximal run of
 * letters and digits (by code point, so non-BMP letters stay whole). Words are listed in order of first
 * appearance.
 */
public final class WordCountHandler implements TaskHandler {

  @Override
  public String function() {
    return "wordcount";
  }

  @Override
  public Set<String> types() {
    return Set.of("data_processing");
  }

  @Override
  public Object handle(Object data, TaskContext context) throws Exception {
    String text = HandlerData.requireString(HandlerData.object(data, function()), "text");
    Map<String, Object> counts = new LinkedHashMap<>();
    int wordStart = -1;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      if (Character.isLetterOrDigit(codePoint)) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else if (wordStart >= 0) {
        count(counts, text.substring(wordStart, i));
        wordStart = -1;
      }
      i += Character.charCount(codePoint);
    }
    if (wordStart >= 0) {
      count(counts, text.substring(wordStart));
    }
    return new JsonObject().put("counts", new JsonObject(counts));
  }

  // Words are split before lower-casing: lower-casing can add non-letter code points (e.g. "İ" becomes
  // "i" plus a combining dot), which must not split the word it came from.
  private static void count(Map<String, Object> counts, String word) {
    counts.merge(word.toLowerCase(Locale.ROOT), 1, (a, b) -> (Integer) a + (Integer) b);
  }
}
