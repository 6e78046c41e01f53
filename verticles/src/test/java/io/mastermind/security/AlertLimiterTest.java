package io.mastermind.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("AlertLimiter raises one alert per key per interval and a bounded number in all")
class AlertLimiterTest {

  @Test
  @DisplayName("the first occurrence alerts, repeats within the interval are held back and counted in the next alert")
  void perKey() {
    AlertLimiter limiter = new AlertLimiter(10_000, 100, 100);
    assertThat(limiter.occurred("bad|w9", 0)).isEqualTo(new AlertLimiter.Decision(true, 0));
    for (int i = 1; i <= 500; i++) {
      assertThat(limiter.occurred("bad|w9", i).raise()).isFalse();
    }
    assertThat(limiter.occurred("other|w9", 600).raise()).as("another key is not held back").isTrue();
    assertThat(limiter.occurred("bad|w9", 10_000)).isEqualTo(new AlertLimiter.Decision(true, 500));
  }

  @Test
  @DisplayName("many different keys in one interval raise at most the cap")
  void globalCap() {
    AlertLimiter limiter = new AlertLimiter(10_000, 5, 1_000);
    int raised = 0;
    for (int i = 0; i < 200; i++) {
      raised += limiter.occurred("k" + i, 1).raise() ? 1 : 0;
    }
    assertThat(raised).isEqualTo(5);
    assertThat(limiter.occurred("k7", 10_001).raise()).as("next interval").isTrue();
  }

  @Test
  @DisplayName("a flood of made-up keys is bounded in memory and keeps alerting for keys already known")
  void boundedKeys() {
    AlertLimiter limiter = new AlertLimiter(1_000, 1_000, 10);
    limiter.occurred("known", 0);
    for (int i = 0; i < 100_000; i++) {
      limiter.occurred("made-up-" + i, 5);
    }
    assertThat(limiter.occurred("known", 1_000).raise()).isTrue();
  }
}
