package io.javalived.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * /proc/net/ip_vs_conn as the kernel writes it (ip_vs_conn_seq_show: IPv4 in hex, IPv6 as text, expiry in seconds)
 * and the ipvsadm -Lnc layout. The same listing is compared with ipvsadm -Lnc itself in OperatorControlVmTest.
 */
class IpvsConnectionsTest {
    static final String PROC = """
            Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
            TCP 0A4F0902 D4C2 0A4F0064 0050 0A4F0202 0050 ESTABLISHED     884
            TCP 0A4F0902 D4C4 0A4F0064 0050 0A4F0102 0050 TIME_WAIT        61
            UDP 2001:0db8:0000:0000:0000:0000:0000:0009 1F90 2001:0db8:0000:0000:0000:0000:0000:0064 0035 2001:0db8:0000:0000:0000:0000:0000:0002 0035 UDP             297
            """;

    @Test
    void parsesV4HexAndV6TextAndListsAsIpvsadm() {
        List<IpvsConnections.Connection> c = IpvsConnections.parse(PROC);
        assertThat(c).hasSize(3);
        assertThat(c.get(0).client().getAddress().getHostAddress()).isEqualTo("10.79.9.2");
        assertThat(c.get(0).client().getPort()).isEqualTo(0xD4C2);
        assertThat(c.get(0).destination().getAddress().getHostAddress()).isEqualTo("10.79.2.2");
        assertThat(c.get(2).virtual().getPort()).isEqualTo(53);
        assertThat(IpvsConnections.listing(c)).isEqualTo("""
                IPVS connection entries
                pro expire state       source             virtual            destination
                TCP 14:44  ESTABLISHED 10.79.9.2:54466    10.79.0.100:80     10.79.2.2:80
                TCP 01:01  TIME_WAIT   10.79.9.2:54468    10.79.0.100:80     10.79.1.2:80
                UDP 04:57  UDP         [2001:db8::9]:8080 [2001:db8::64]:53  [2001:db8::2]:53
                """);
        assertThatThrownBy(() -> IpvsConnections.parse("TCP 0A4F0902 D4C2\n"))
                .hasMessageStartingWith("ip_vs_conn line 1: expected at least 9 fields");
    }
}
