package io.javalived.netlink.inet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Raw VRRP sockets over loopback only (the kernel, no other host): TTL/hop limit, ancillary data, shutdown. */
class RawIpSocketTest {
    private static final byte[] MSG = {0x31, 99, 100, 0, 0, 100, 0, 0};

    @Test
    void ipv4SendSocketSetsTtl255AndTosAndReceiverSeesTheIpHeader() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (RawIpSocket tx = VrrpSockets.openSender(false, "lo", Interfaces.index("lo"), lo);
             RawIpSocket rx = VrrpSockets.openReceiver(false, "lo", Interfaces.index("lo"), true)) {
            RawIpSocket.Datagram d = new RawIpSocket.Datagram();
            tx.send(MSG, MSG.length, lo, 0);
            receiveMatching(rx, d);
            assertThat(d.hopLimit).isEqualTo(255);
            assertThat(d.data[1] & 0xff).as("TOS").isEqualTo(0xc0);
            assertThat(d.source).isEqualTo(lo);
            assertThat(d.destination).isInstanceOf(Inet4Address.class).isEqualTo(lo);
            assertThat(d.payloadLength()).isEqualTo(MSG.length);
        }
    }

    @Test
    void ipv6ReceiverGetsHopLimitAndDestinationFromAncillaryData() throws Exception {
        InetAddress lo6 = InetAddress.getByName("::1");
        try (RawIpSocket tx = VrrpSockets.openSender(true, "lo", Interfaces.index("lo"), lo6);
             RawIpSocket rx = VrrpSockets.openReceiver(true, "lo", Interfaces.index("lo"), true)) {
            RawIpSocket.Datagram d = new RawIpSocket.Datagram();
            tx.send(MSG.clone(), MSG.length, lo6, 0);
            receiveMatching(rx, d);
            assertThat(d.hopLimit).isEqualTo(255);
            assertThat(d.destination).isInstanceOf(Inet6Address.class).isEqualTo(lo6);
            assertThat(d.source).isEqualTo(lo6);
            assertThat(d.payloadOffset).isZero();
            assertThat(d.length).isEqualTo(MSG.length);
            // the kernel filled in the checksum (IPV6_CHECKSUM offset 6)
            assertThat((d.data[6] | d.data[7]) != 0).isTrue();
        }
    }

    @Test
    void shutdownWakesABlockedReceiver() throws Exception {
        RawIpSocket rx = VrrpSockets.openReceiver(false, "lo", Interfaces.index("lo"), true);
        CompletableFuture<Boolean> f = CompletableFuture.supplyAsync(() -> {
            try {
                RawIpSocket.Datagram d = new RawIpSocket.Datagram();
                boolean got;
                do {
                    got = rx.receive(d);
                } while (got);
                return got;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        rx.shutdown();
        assertThat(f.get(5, TimeUnit.SECONDS)).isFalse();
        rx.close();
    }

    private static void receiveMatching(RawIpSocket rx, RawIpSocket.Datagram d) throws Exception {
        CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
            try {
                while (rx.receive(d)) {
                    if (d.payloadLength() == MSG.length && d.data[d.payloadOffset + 1] == 99) {
                        return;
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try {
            f.get(5, TimeUnit.SECONDS);
        } finally {
            rx.shutdown();
        }
    }
}
