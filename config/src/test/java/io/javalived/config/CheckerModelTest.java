package io.javalived.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.HttpProtocol;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.ReplyPattern;
import io.javalived.config.model.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker values the reader hands over already decoded: status codes, http_protocol, UDP payload/pattern. */
class CheckerModelTest {
    static final String CONF = """
            virtual_server 10.1.1.1 53 {
              lb_algo rr
              lb_kind NAT
              protocol UDP
              real_server 10.1.2.1 53 {
                UDP_CHECK {
                  payload 70696e67
                  require_reply 70 6x6 E67
                }
              }
              real_server 10.1.2.2 53 {
                UDP_CHECK {
                  payload abc 1
                  require_reply
                }
              }
            }
            virtual_server 10.1.1.2 80 {
              lb_algo rr
              lb_kind NAT
              protocol TCP
              real_server 10.1.3.1 80 {
                HTTP_GET {
                  http_protocol 1.0c
                  url {
                    path /a
                    status_code 301-302 200 404
                  }
                  url {
                    path /b
                  }
                }
                SSL_GET {
                  http_protocol 1.1
                  url {
                    path /c
                  }
                }
              }
            }
            """;

    static List<CheckerConfig> checkers(KeepalivedConfig c, int vs, int rs) {
        return c.virtualServers().get(vs).realServers().get(rs).checkers();
    }

    @Test
    void udpPayloadAndReplyPatternAreBytes() throws Exception {
        KeepalivedConfig c = KeepalivedConfigReaderTest.read(CONF);
        CheckerConfig.UdpCheck u = (CheckerConfig.UdpCheck) checkers(c, 0, 0).get(0);
        assertThat(new String(u.payload().orElseThrow(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        ReplyPattern p = u.replyPattern().orElseThrow();
        // "70 6x6 E67": groups of digits, an odd group's last digit a low nibble, 'x' a wildcard nibble
        assertThat(p.bytes()).containsExactly(0x70, 0x60, 0x06, 0xe6, 0x07);
        assertThat(p.mask()).containsExactly(0xff, 0xf0, 0xff, 0xff, 0xff);
        assertThat(p).hasToString("706x06e607");
        CheckerConfig.UdpCheck any = (CheckerConfig.UdpCheck) checkers(c, 0, 1).get(0);
        assertThat(any.payload().orElseThrow()).containsExactly(0xab, 0x0c, 0x01);
        assertThat(any.payloadHex()).contains("ab0c01");
        assertThat(any.requireReply()).isTrue();
        assertThat(any.replyPattern()).isEmpty();
        // the model is immutable: a copy handed out does not change it
        u.payload().orElseThrow()[0] = 0;
        p.bytes()[0] = 0;
        assertThat(u.payloadHex()).contains("70696e67");
        assertThat(u.replyPattern().orElseThrow()).hasToString("706x06e607");
    }

    @Test
    void modelsWithBytesCompareByContent() throws Exception {
        KeepalivedConfig a = KeepalivedConfigReaderTest.read(CONF);
        KeepalivedConfig b = KeepalivedConfigReaderTest.read(CONF);
        assertThat(checkers(a, 0, 0)).isEqualTo(checkers(b, 0, 0));
        assertThat(checkers(a, 0, 0).hashCode()).isEqualTo(checkers(b, 0, 0).hashCode());
        assertThat(checkers(a, 0, 0)).isNotEqualTo(checkers(a, 0, 1));
        KeepalivedConfig other = KeepalivedConfigReaderTest.read(CONF.replace("payload 70696e67", "payload 70696e68"));
        assertThat(checkers(a, 0, 0)).isNotEqualTo(checkers(other, 0, 0));
        assertThat(new ReplyPattern(new byte[] {1, 2}, new byte[] {-1, 15}))
                .isEqualTo(new ReplyPattern(new byte[] {1, 2}, new byte[] {-1, 15}))
                .isNotEqualTo(new ReplyPattern(new byte[] {1, 2}, new byte[] {-1, -1}));
    }

    @Test
    void statusCodesAndHttpProtocolAreTyped() throws Exception {
        KeepalivedConfig c = KeepalivedConfigReaderTest.read(CONF);
        CheckerConfig.HttpGetCheck h = (CheckerConfig.HttpGetCheck) checkers(c, 1, 0).get(0);
        assertThat(h.httpProtocol()).isEqualTo(HttpProtocol.HTTP_1_0C);
        assertThat(h.httpProtocol().connectionClose()).isTrue();
        assertThat(h.httpProtocol().minorVersion()).isZero();
        StatusCodes codes = h.urls().get(0).statusCodes();
        assertThat(codes).hasToString("301-302 200 404");
        assertThat(codes.contains(301)).isTrue();
        assertThat(codes.contains(404)).isTrue();
        assertThat(codes.contains(303)).isFalse();
        assertThat(codes.contains(201)).isFalse();
        assertThat(h.urls().get(1).statusCodes()).isEqualTo(StatusCodes.DEFAULT);
        assertThat(StatusCodes.DEFAULT.contains(299)).isTrue();
        assertThat(StatusCodes.DEFAULT.contains(300)).isFalse();
        CheckerConfig.HttpGetCheck s = (CheckerConfig.HttpGetCheck) checkers(c, 1, 0).get(1);
        assertThat(s.httpProtocol()).isEqualTo(HttpProtocol.HTTP_1_1);
        assertThat(HttpProtocol.of("1.0")).contains(HttpProtocol.HTTP_1_0);
        assertThat(HttpProtocol.of("1.1C")).isEmpty();
        assertThatThrownBy(() -> KeepalivedConfigReaderTest.read(CONF.replace("http_protocol 1.1", "http_protocol 2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown http_protocol '2'");
    }
}
