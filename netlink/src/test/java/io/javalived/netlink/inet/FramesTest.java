package io.javalived.netlink.inet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FramesTest {
    private static final byte[] MAC = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

    @Test
    void gratuitousArpIsABroadcastRequestForTheVip() throws Exception {
        byte[] f = Frames.gratuitousArp(MAC, (Inet4Address) InetAddress.getByName("10.1.2.3"));
        assertThat(f).hasSize(60);
        for (int i = 0; i < 6; i++) {
            assertThat(f[i]).isEqualTo((byte) 0xff);
        }
        assertThat(java.util.Arrays.copyOfRange(f, 6, 12)).isEqualTo(MAC);
        assertThat(f[12]).isEqualTo((byte) 0x08);
        assertThat(f[13]).isEqualTo((byte) 0x06);
        assertThat(f[21]).as("op request").isEqualTo((byte) 1);
        assertThat(java.util.Arrays.copyOfRange(f, 22, 28)).isEqualTo(MAC);
        assertThat(java.util.Arrays.copyOfRange(f, 28, 32)).containsExactly(10, 1, 2, 3);
        assertThat(java.util.Arrays.copyOfRange(f, 38, 42)).containsExactly(10, 1, 2, 3);
    }

    @Test
    void neighbourAdvertHasOverrideFlagTargetAndLinkLayerOption() throws Exception {
        Inet6Address t = (Inet6Address) InetAddress.getByName("fd00::7");
        byte[] p = Frames.neighbourAdvert(MAC, t, false);
        assertThat(p[0] & 0xff).isEqualTo(136);
        assertThat(p[4] & 0xff).isEqualTo(0x20);
        assertThat(java.util.Arrays.copyOfRange(p, 8, 24)).isEqualTo(t.getAddress());
        assertThat(p[24]).isEqualTo((byte) 2);
        assertThat(p[25]).isEqualTo((byte) 1);
        assertThat(java.util.Arrays.copyOfRange(p, 26, 32)).isEqualTo(MAC);
        assertThat(Frames.neighbourAdvert(MAC, t, true)[4] & 0xff).isEqualTo(0xa0);
    }
}
