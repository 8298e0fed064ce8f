package io.javalived.inet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class VirtualServerKeyTest {
    @Test
    void textIsKeepalivedsAndReadsBack() throws Exception {
        VirtualServerKey a = VirtualServerKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80);
        VirtualServerKey b = VirtualServerKey.of(Protocol.UDP, InetAddress.getByName("2001:db8:0:0:0:0:0:1"), 53);
        VirtualServerKey f = VirtualServerKey.fwmark(7, false);
        VirtualServerKey g = VirtualServerKey.group("web", 80, false);
        assertThat(a).hasToString("[10.0.0.1]:tcp:80");
        assertThat(b).hasToString("[2001:db8::1]:udp:53");
        assertThat(f).hasToString("FWM 7");
        assertThat(g).hasToString("[web]:80");
        for (VirtualServerKey k : new VirtualServerKey[] {a, b, f, g}) {
            assertThat(VirtualServerKey.parse(k.toString())).isEqualTo(k);
        }
        assertThat(VirtualServerKey.parse("10.0.0.1:80")).isEqualTo(a);
        assertThat(VirtualServerKey.parse("fwmark 7")).isEqualTo(f);
        assertThatThrownBy(() -> VirtualServerKey.parse("10.0.0.1")).hasMessageContaining("[ADDRESS]:PROTO:PORT");
        assertThatThrownBy(() -> VirtualServerKey.parse("FWM x")).hasMessageContaining("not a virtual server");
    }

    @Test
    void keysCompareByValue() throws Exception {
        RealServerKey r1 = RealServerKey.of(VirtualServerKey.parse("[10.0.0.1]:tcp:80"), InetAddress.getByName("10.0.0.2"), 80);
        RealServerKey r2 = new RealServerKey(VirtualServerKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80),
                new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 80));
        assertThat(r1).isEqualTo(r2).hasSameHashCodeAs(r2).hasToString("[10.0.0.2]:80 VS [10.0.0.1]:tcp:80");
        assertThat(r1).isNotEqualTo(RealServerKey.of(VirtualServerKey.fwmark(1, false), r1.address(), 80));
    }
}
