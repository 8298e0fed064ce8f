package io.javalived.inet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class InetTextTest {
    private static String ntop(String s) throws Exception {
        return InetText.ntop(InetAddress.getByName(s));
    }

    @Test
    void formatsLikeGlibcInetNtop() throws Exception {
        assertThat(ntop("2001:db8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
        assertThat(ntop("::")).isEqualTo("::");
        assertThat(ntop("::1")).isEqualTo("::1");
        assertThat(ntop("1::")).isEqualTo("1::");
        assertThat(ntop("1:0:0:2:0:0:0:3")).isEqualTo("1:0:0:2::3");
        assertThat(ntop("1:0:0:2:0:0:3:4")).isEqualTo("1::2:0:0:3:4");
        assertThat(ntop("1:0:2:3:4:5:6:7")).isEqualTo("1:0:2:3:4:5:6:7");
        assertThat(ntop("fe80::abcd:1")).isEqualTo("fe80::abcd:1");
        assertThat(InetText.ntop6(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1}))
                .isEqualTo("::ffff:10.0.0.1");
        assertThat(InetText.ntop6(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1})).isEqualTo("::10.0.0.1");
        assertThat(ntop("10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(InetText.hostPort(InetAddress.getByName("2001:db8::2"), 80)).isEqualTo("[2001:db8::2]:80");
    }

    @Test
    void parsesOnlyNumericLiterals() throws Exception {
        assertThat(InetText.parse("[2001:db8::1]")).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(InetText.parse("10.0.0.1")).isEqualTo(InetAddress.getByName("10.0.0.1"));
        assertThatThrownBy(() -> InetText.parse("example.com")).hasMessageContaining("not a numeric IP address");
    }
}
