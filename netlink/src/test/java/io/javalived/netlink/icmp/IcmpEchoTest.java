package io.javalived.netlink.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {
    @Test
    void requestHasValidChecksumAndFields() {
        byte[] p = IcmpEcho.request(false, 0x1234, 0xabcd, new byte[] {1, 2, 3});
        assertThat(p).hasSize(11);
        assertThat(p[0]).isEqualTo((byte) 8);
        assertThat(IcmpEcho.checksum(p, 0, p.length)).isZero(); // a correct checksum sums to zero
        IcmpEcho.Message m = IcmpEcho.decode(p, p.length, false);
        assertThat(m).isEqualTo(new IcmpEcho.Message(8, 0, 0x1234, 0xabcd, 3));
    }

    @Test
    void decodeSkipsIpv4Header() {
        byte[] icmp = IcmpEcho.request(false, 7, 9, new byte[0]);
        byte[] pkt = new byte[24 + icmp.length];
        pkt[0] = 0x46; // IHL 6 words
        System.arraycopy(icmp, 0, pkt, 24, icmp.length);
        assertThat(IcmpEcho.decode(pkt, pkt.length, true).seq()).isEqualTo(9);
        assertThat(IcmpEcho.decode(new byte[5], 5, false)).isNull();
    }

    @Test
    void checksumOfKnownVector() {
        // RFC 1071 example bytes 00 01 f2 03 f4 f5 f6 f7 -> sum ddf2, checksum 220d
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(IcmpEcho.checksum(b, 0, b.length)).isEqualTo(0x220d);
    }

    @Test
    void pingsLoopbackOverRealSocket() throws Exception {
        try (IcmpEchoSocket s = IcmpEchoSocket.open(false, false)) {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            s.send(lo, 0x4242, 77, "javalived".getBytes());
            IcmpEchoSocket.Reply r = null;
            for (int i = 0; i < 3 && r == null; i++) {
                IcmpEchoSocket.Reply x = s.receive();
                if (x != null && x.seq() == 77) r = x;
            }
            assertThat(r).isNotNull();
            assertThat(r.from()).isEqualTo(lo);
        }
    }

    /** Run inside a namespace by {@link #unprivilegedDatagramSocketInANamespace()}: prints "datagram <ok>". */
    public static void main(String[] args) throws Exception {
        try (IcmpEchoSocket s = IcmpEchoSocket.open(false, false)) {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            s.send(lo, 1, 99, new byte[8]);
            boolean ok = false;
            for (int i = 0; i < 3 && !ok; i++) {
                IcmpEchoSocket.Reply x = s.receive();
                ok = x != null && x.seq() == 99;
            }
            System.out.println((s.isDatagram() ? "datagram " : "raw ") + ok);
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        return out;
    }

    @Test
    void unprivilegedDatagramSocketInANamespace() throws Exception {
        String ns = "jvic" + ProcessHandle.current().pid() % 100000;
        run("ip", "netns", "add", ns);
        try {
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647");
            String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String out = run("ip", "netns", "exec", ns, javaBin, "-cp", System.getProperty("java.class.path"),
                    IcmpEchoTest.class.getName());
            assertThat(out.trim()).endsWith("datagram true");
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    @Test
    void pingsIpv6LoopbackOverRealSocket() throws Exception {
        java.net.NetworkInterface loIf = java.net.NetworkInterface.getByName("lo");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                loIf != null && loIf.inetAddresses().anyMatch(a -> a instanceof java.net.Inet6Address), "no ::1 on lo");
        try (IcmpEchoSocket s = IcmpEchoSocket.open(true, false)) {
            InetAddress lo = InetAddress.getByName("::1");
            s.send(lo, 0x4243, 78, "javalived".getBytes());
            IcmpEchoSocket.Reply r = null;
            for (int i = 0; i < 3 && r == null; i++) {
                IcmpEchoSocket.Reply x = s.receive();
                if (x != null && x.seq() == 78) r = x;
            }
            assertThat(r).isNotNull();
            assertThat(r.from()).isEqualTo(lo);
        }
    }
}
