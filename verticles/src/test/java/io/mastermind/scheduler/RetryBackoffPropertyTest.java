package io.mastermind.scheduler;

import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

@Label("RetryBackoff properties")
class RetryBackoffPropertyTest {

  @Property(tries = 500)
  @Label("the delay stays within [base, max] and never decreases as retries grow")
  void boundedAndMonotone(@ForAll @LongRange(min = 0, max = 1_000_000) long base,
                          @ForAll @LongRange(min = 0, max = 100_000_000) long extra,
                          @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) int retry) {
    RetryBackoff b = new RetryBackoff(base, base + extra);
    long delay = b.delayMs(retry);
    assertThat(delay).isBetween(base, base + extra);
    assertThat(b.delayMs(retry + 1)).isGreaterThanOrEqualTo(delay);
  }
}
