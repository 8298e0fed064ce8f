package io.javalived.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalived.daemon.metrics.ExpositionParser.Exposition;
import org.junit.jupiter.api.Test;

/** The strict text-format parser accepts valid 0.0.4 and rejects what Prometheus rejects. */
class ExpositionParserTest {

    @Test
    void parsesFamiliesLabelsEscapesAndSpecialValues() throws Exception {
        Exposition e = ExpositionParser.parse("""
                # HELP a_total Help with \\\\ and \\n.
                # TYPE a_total counter
                a_total{x="1",y="q\\"uote\\\\ back\\nline",} 3.5
                a_total{x="2"} 1e3 1700000000000
                # a comment
                # TYPE b gauge
                b NaN
                b{z=""} -Inf
                c +Inf
                # TYPE h histogram
                h_bucket{le="1"} 1
                h_bucket{le="+Inf"} 2
                h_sum 3
                h_count 2
                """);
        assertThat(e.families().get("a_total").type()).isEqualTo("counter");
        assertThat(e.families().get("a_total").help()).isEqualTo("Help with \\ and \n.");
        assertThat(e.value("a_total", "x", "1")).isEqualTo(3.5);
        assertThat(e.find("a_total", "x", "1").get(0).label("y")).isEqualTo("q\"uote\\ back\nline");
        assertThat(e.find("a_total", "x", "2").get(0).timestamp()).isEqualTo(1700000000000L);
        assertThat(e.value("a_total", "x", "2")).isEqualTo(1000);
        assertThat(e.value("b", "z", "")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(e.find("b").get(0).value()).isNaN();
        assertThat(e.families().get("c").type()).isEqualTo("untyped");
        assertThat(e.families().get("h").samples()).hasSize(4);
    }

    @Test
    void rejectsWhatPrometheusRejects() {
        String[] bad = {
            "a 1",                                        // no final newline
            "1a 1\n",                                     // bad name
            "a{1x=\"v\"} 1\n",                            // bad label name
            "a{__x=\"v\"} 1\n",                           // reserved label name
            "a{x=\"v\",x=\"w\"} 1\n",                     // label twice
            "a{x=\"v} 1\n",                               // unterminated value
            "a{x=\"\\t\"} 1\n",                           // bad escape
            "a{x=v} 1\n",                                 // unquoted
            "a{x=\"v\" 1\n",                              // unterminated set
            "a one\n",                                    // bad value
            "a 0x1p3\n",                                  // hex float
            "a 1 2 3\n",                                  // extra field
            "a 1 x\n",                                    // bad timestamp
            "a{x=\"1\"} 1\na{x=\"1\"} 2\n",               // duplicate series
            "a 1\nb 1\na{x=\"1\"} 2\n",                   // family in two groups
            "a 1\n# TYPE a gauge\n",                      // TYPE after samples
            "# TYPE a gauge\n# TYPE a gauge\na 1\n",      // TYPE twice
            "# HELP a x\n# HELP a y\na 1\n",              // HELP twice
            "# TYPE a gage\na 1\n",                       // unknown type
            "# HELP a bad \\q escape\na 1\n",             // bad HELP escape
            "a{x=\"1\"}1\n",                              // no blank before the value
        };
        for (String s : bad) {
            assertThatThrownBy(() -> ExpositionParser.parse(s)).as(s.replace("\n", "\\n"))
                    .isInstanceOf(ExpositionParser.ParseException.class);
        }
    }

    @Test
    void emptyIsEmpty() throws Exception {
        assertThat(ExpositionParser.parse("").families()).isEmpty();
    }
}
