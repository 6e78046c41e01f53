package io.mastermind.node;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test parser is strict: it refuses what a Prometheus server would refuse. */
@DisplayName("PrometheusText (the tests' strict parser) accepts good text and refuses bad")
class PrometheusTextTest {

  private static final String HISTOGRAM = """
    # HELP t_seconds Run time
    # TYPE t_seconds histogram
    t_seconds_bucket{type="compute",le="0.5"} 1.0
    t_seconds_bucket{type="compute",le="+Inf"} 2.0
    t_seconds_count{type="compute"} 2.0
    t_seconds_sum{type="compute"} 1.25
    """;

  @Test
  @DisplayName("a histogram, a counter and a gauge with escaped label values")
  void good() {
    PrometheusText text = PrometheusText.parse(HISTOGRAM + """
      # TYPE c_total counter
      c_total{code="a\\"b\\\\c\\n"} 3.0
      # TYPE g gauge
      g -1.5E3
      g{x="y"} NaN
      """);
    assertThat(text.family("t_seconds").type()).isEqualTo("histogram");
    assertThat(text.value("t_seconds_bucket", "le", "+Inf")).isEqualTo(2.0);
    assertThat(text.value("c_total", "code", "a\"b\\c\n")).isEqualTo(3.0);
    assertThat(text.value("g", "x", "y")).isNaN();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "g 1",                                         // no final line feed
    "g{a=\"1\"} 1\ng{a=\"1\"} 2\n",                // series twice
    "1g 1\n",                                      // bad name
    "g{a=1} 1\n",                                  // unquoted label value
    "g{a=\"\\t\"} 1\n",                            // bad escape
    "g{a=\"1\" } 1\n",                             // stray space
    "g  1\n",                                      // two spaces
    "g one\n",                                     // not a number
    "g 1\n# TYPE g gauge\n",                       // TYPE after samples
    "# TYPE g gauge\n# TYPE g gauge\ng 1\n",       // TYPE twice
    "# TYPE g gauges\ng 1\n",                      // unknown type
    "a 1\nb 1\na{x=\"1\"} 1\n",                    // family split
    "# TYPE c_total counter\nc_total -1\n",        // negative counter
    "# TYPE h histogram\nh 1\n",                   // histogram sample without suffix
    "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n",               // no +Inf
    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n", // not cumulative
    "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n",            // count differs
  })
  @DisplayName("refuses bad text")
  void bad(String text) {
    assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
