package io.mastermind.resources;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrefetchWindowTest {

  @Test
  @DisplayName("starts at the floor; grows with the completion rate up to the cap")
  void growsWithRate() {
    PrefetchWindow window = new PrefetchWindow(16, 256, 20);
    assertThat(window.limit()).isEqualTo(16);
    // 10 tasks per ms for 1 s: the rate estimate settles near 10/ms, so 20 ms hold 200 tasks
    for (long ms = 0; ms < 1_000; ms++) {
      window.finished(10, ms);
    }
    assertThat(window.limit()).isBetween(190, 210);
    for (long ms = 1_000; ms < 2_000; ms++) {
      window.finished(100, ms);
    }
    assertThat(window.limit()).isEqualTo(256);
  }

  @Test
  @DisplayName("shrinks back to the floor when tasks become long")
  void shrinksWhenSlow() {
    PrefetchWindow window = new PrefetchWindow(16, 256, 20);
    for (long ms = 0; ms < 1_000; ms++) {
      window.finished(10, ms);
    }
    assertThat(window.limit()).isGreaterThan(16);
    window.finished(1, 3_000); // one task in the next two seconds
    assertThat(window.limit()).isEqualTo(16);
  }

  @Test
  @DisplayName("the floor is never above the cap, and a window of 0 stays at the floor")
  void floorAndCap() {
    assertThat(new PrefetchWindow(16, 1, 20).limit()).isEqualTo(1);
    PrefetchWindow none = new PrefetchWindow(16, 0, 20);
    none.finished(1_000, 1);
    assertThat(none.limit()).isZero();
    PrefetchWindow fixed = new PrefetchWindow(4, 256, 0);
    fixed.finished(1_000, 1);
    assertThat(fixed.limit()).isEqualTo(4);
  }
}
