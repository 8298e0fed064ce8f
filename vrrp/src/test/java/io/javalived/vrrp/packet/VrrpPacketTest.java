package io.javalived.vrrp.packet;

import static io.javalived.vrrp.packet.KeepalivedVectors.hex;
import static io.javalived.vrrp.packet.KeepalivedVectors.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VrrpPacketTest {

    private static ReceivedAdvert ok(DecodeResult r) {
        assertThat(r).isInstanceOf(DecodeResult.Ok.class);
        return ((DecodeResult.Ok) r).advert();
    }

    @Test
    void decodesKeepalivedV2PassAdvert() {
        byte[] d = hex(KeepalivedVectors.V2_PASS);
        ReceivedAdvert a = ok(AdvertDecoder.decodeIpv4(d, 0, d.length));
        VrrpPacket p = a.packet();
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.type()).isEqualTo(1);
        assertThat(p.vrid()).isEqualTo(51);
        assertThat(p.priority()).isEqualTo(150);
        assertThat(p.authType()).isEqualTo(VrrpPacket.AUTH_PASS);
        assertThat(p.authData()).isEqualTo(VrrpPacket.passData("secret12345"));
        assertThat(p.advertInterval()).isEqualTo(1);
        assertThat(p.advertIntervalNanos()).isEqualTo(1_000_000_000L);
        assertThat(p.addresses()).containsExactly(ip("10.77.0.100"), ip("10.77.0.101"));
        assertThat(p.checksum()).isEqualTo(0xc4e7);
        assertThat(a.source()).isEqualTo(ip("10.77.0.1"));
        assertThat(a.destination()).isEqualTo(ip("224.0.0.18"));
        assertThat(a.ttl()).isEqualTo(255);
        assertThat(a.checksumValid(false)).isTrue();
    }

    @Test
    void encodesV2ExactlyAsKeepalived() {
        VrrpPacket p = VrrpPacket.v2(51, 150, VrrpPacket.AUTH_PASS, VrrpPacket.passData("secret12"), 1,
                List.of(ip("10.77.0.100"), ip("10.77.0.101")));
        byte[] d = hex(KeepalivedVectors.V2_PASS);
        assertThat(p.encode(null, null, false)).isEqualTo(Arrays.copyOfRange(d, 20, d.length));
        byte[] z = hex(KeepalivedVectors.V2_PASS_PRIO0);
        assertThat(p.withPriority(0).encode(ip("10.77.0.1"), ip("224.0.0.18"), false))
                .isEqualTo(Arrays.copyOfRange(z, 20, z.length));
    }

    @Test
    void encodesV3Ipv4WithPseudoHeaderExactlyAsKeepalived() {
        VrrpPacket p = VrrpPacket.v3(52, 100, 50, List.of(ip("10.77.0.100")));
        byte[] d = hex(KeepalivedVectors.V3_IPV4);
        byte[] msg = p.encode(ip("10.77.0.1"), ip("224.0.0.18"), false);
        assertThat(msg).isEqualTo(Arrays.copyOfRange(d, 20, d.length));
        byte[] z = hex(KeepalivedVectors.V3_IPV4_PRIO0);
        assertThat(p.withPriority(0).encode(ip("10.77.0.1"), ip("224.0.0.18"), false))
                .isEqualTo(Arrays.copyOfRange(z, 20, z.length));
        ReceivedAdvert a = ok(AdvertDecoder.decodeIpv4(d, 0, d.length));
        assertThat(a.packet().advertInterval()).isEqualTo(50);
        assertThat(a.packet().advertIntervalNanos()).isEqualTo(500_000_000L);
        assertThat(a.checksumValid(false)).isTrue();
        // the same packet does not verify as a v2-style checksum
        assertThat(a.checksumValid(true)).isFalse();
    }

    @Test
    void v3ChecksumAsV2OmitsThePseudoHeader() {
        VrrpPacket p = VrrpPacket.v3(52, 100, 50, List.of(ip("10.77.0.100")));
        byte[] msg = p.encode(ip("10.77.0.1"), ip("224.0.0.18"), true);
        byte[] zero = p.encodeZeroChecksum();
        assertThat(((msg[6] & 0xff) << 8) | (msg[7] & 0xff)).isEqualTo(VrrpChecksum.plain(zero, 0, zero.length));
        assertThat(VrrpChecksum.verify(3, ip("10.77.0.1"), ip("224.0.0.18"), true, msg, 0, msg.length)).isTrue();
        assertThat(VrrpChecksum.verify(3, ip("10.77.0.1"), ip("224.0.0.18"), false, msg, 0, msg.length)).isFalse();
        // and it does not depend on the addresses
        assertThat(p.encode(null, null, true)).isEqualTo(msg);
    }

    @Test
    void decodesAndEncodesKeepalivedIpv6Advert() {
        byte[] d = hex(KeepalivedVectors.V3_IPV6);
        InetAddress src = ip(KeepalivedVectors.V3_IPV6_SRC);
        InetAddress dst = ip(KeepalivedVectors.V3_IPV6_DST);
        ReceivedAdvert a = ok(AdvertDecoder.decodeIpv6(d, 0, d.length, src, dst, 255));
        VrrpPacket p = a.packet();
        assertThat(p.version()).isEqualTo(3);
        assertThat(p.vrid()).isEqualTo(53);
        assertThat(p.priority()).isEqualTo(90);
        assertThat(p.advertInterval()).isEqualTo(100);
        assertThat(p.addresses()).containsExactly(ip("fe80::100"), ip("2001:db8::100"));
        assertThat(p.isIpv6()).isTrue();
        assertThat(a.checksumValid(false)).isTrue();
        assertThat(p.encode(src, dst, false)).isEqualTo(d);
        assertThat(p.encode(src, dst, true)).as("IPv6 always uses the pseudo-header").isEqualTo(d);
        assertThat(p.withPriority(0).encode(src, dst, false)).isEqualTo(hex(KeepalivedVectors.V3_IPV6_PRIO0));
        byte[] zero = p.encodeZeroChecksum();
        assertThat(zero[VrrpPacket.CHECKSUM_OFFSET]).isZero();
        assertThat(zero[VrrpPacket.CHECKSUM_OFFSET + 1]).isZero();
        assertThat(VrrpChecksum.withPseudoHeader(src, dst, zero, 0, zero.length)).isEqualTo(0x0232);
    }

    @Test
    void ipv4MappedIpv6AddressesStayIpv6() {
        VrrpPacket p = VrrpPacket.v3(1, 100, 100, List.of(ip("2001:db8::1")));
        byte[] msg = p.encodeZeroChecksum();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        System.arraycopy(mapped, 0, msg, 8, 16);
        DecodeResult.Parsed r = VrrpPacket.parse(msg, 0, msg.length, true);
        assertThat(r.ok()).isTrue();
        assertThat(r.packet().addresses().get(0)).isInstanceOf(Inet6Address.class);
        assertThat(r.packet().addresses().get(0).getAddress()).isEqualTo(mapped);
    }

    @ParameterizedTest
    @CsvSource({"2,0", "2,1", "2,7", "2,255", "3,0", "3,1", "3,12", "3,255"})
    void roundTripsEveryAddressCount(int version, int count) throws Exception {
        for (boolean v6 : new boolean[] {false, true}) {
            if (v6 && version == 2) {
                continue;
            }
            InetAddress[] a = new InetAddress[count];
            for (int i = 0; i < count; i++) {
                a[i] = v6 ? InetAddress.getByName("2001:db8::" + Integer.toHexString(i + 1))
                        : InetAddress.getByName("10.1." + (i / 256) + "." + (i % 256));
            }
            VrrpPacket p = version == 2
                    ? VrrpPacket.v2(7, 200, VrrpPacket.AUTH_NONE, null, 3, List.of(a))
                    : VrrpPacket.v3(7, 200, 4095, List.of(a));
            InetAddress src = ip(v6 ? "fe80::1" : "10.0.0.1");
            InetAddress dst = ip(v6 ? "ff02::12" : "224.0.0.18");
            byte[] m = p.encode(src, dst, false);
            assertThat(m.length).isEqualTo(p.length());
            DecodeResult.Parsed r = VrrpPacket.parse(m, 0, m.length, v6);
            assertThat(r.ok()).as(r.message()).isTrue();
            assertThat(r.packet().withChecksum(0)).isEqualTo(p);
            assertThat(VrrpChecksum.verify(version, src, dst, false, m, 0, m.length)).isTrue();
        }
    }

    @Test
    void rejectsWrongLengthsAndVersions() {
        VrrpPacket p = VrrpPacket.v2(1, 100, 0, null, 1, List.of(ip("10.0.0.1")));
        byte[] m = p.encode(null, null, false);
        assertThat(VrrpPacket.parse(m, 0, m.length - 1, false).error()).isEqualTo(DropReason.PACKET_LENGTH);
        byte[] longer = Arrays.copyOf(m, m.length + 1);
        DecodeResult.Parsed tooLong = VrrpPacket.parse(longer, 0, longer.length, false);
        assertThat(tooLong.error()).isEqualTo(DropReason.PACKET_LENGTH);
        assertThat(tooLong.message()).isEqualTo("vrrp packet too long, length 21 and expect 20");
        assertThat(VrrpPacket.parse(m, 0, 7, false).error()).isEqualTo(DropReason.PACKET_LENGTH);
        byte[] v4 = m.clone();
        v4[0] = 0x41; // version 4, v3-like length expected (no auth) -> length error first, like keepalived
        assertThat(VrrpPacket.parse(v4, 0, v4.length, false).error()).isEqualTo(DropReason.PACKET_LENGTH);
        assertThat(VrrpPacket.parse(v4, 0, v4.length - 8, false).error()).isEqualTo(DropReason.VERSION);
        assertThat(VrrpPacket.parse(m, 0, m.length, true).error()).isEqualTo(DropReason.PACKET_LENGTH);
        assertThat(VrrpPacket.parse(null, 0, 0, false).error()).isEqualTo(DropReason.PACKET_LENGTH);
        assertThat(VrrpPacket.parse(m, 5, m.length, false).error()).isEqualTo(DropReason.PACKET_LENGTH);
    }

    @Test
    void constructorRejectsInvalidFields() {
        assertThatThrownBy(() -> VrrpPacket.v3(1, 256, 100, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpPacket.v3(1, 100, 4096, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpPacket.v2(1, 100, 0, null, 256, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpPacket.v3(1, 100, 100, List.of(ip("10.0.0.1"), ip("::1"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpPacket.v2(1, 100, 0, new byte[3], 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpPacket.v3(1, 100, 100, List.of(ip("10.0.0.1"))).encode(null, null, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passDataTruncatesAndPads() {
        assertThat(VrrpPacket.passData("ab")).isEqualTo(new byte[] {'a', 'b', 0, 0, 0, 0, 0, 0});
        assertThat(VrrpPacket.passData("0123456789")).isEqualTo("01234567".getBytes());
    }

    @Test
    void ipv4HeaderChecks() {
        byte[] d = hex(KeepalivedVectors.V3_IPV4);
        byte[] bad = d.clone();
        bad[9] = 6;
        assertThat(((DecodeResult.Dropped) AdvertDecoder.decodeIpv4(bad, 0, bad.length)).reason())
                .isEqualTo(DropReason.PROTOCOL);
        bad = d.clone();
        bad[0] = 0x44; // ihl 16 bytes
        assertThat(((DecodeResult.Dropped) AdvertDecoder.decodeIpv4(bad, 0, bad.length)).reason())
                .isEqualTo(DropReason.PACKET_LENGTH);
        bad = d.clone();
        bad[3]++; // total length
        assertThat(((DecodeResult.Dropped) AdvertDecoder.decodeIpv4(bad, 0, bad.length)).reason())
                .isEqualTo(DropReason.PACKET_LENGTH);
        assertThat(AdvertDecoder.decodeIpv4(d, 0, 19)).isInstanceOf(DecodeResult.Dropped.class);
        assertThat(AdvertDecoder.decodeIpv4(d, 1, d.length)).isInstanceOf(DecodeResult.Dropped.class);
        // with an offset inside a bigger buffer
        byte[] big = new byte[d.length + 10];
        System.arraycopy(d, 0, big, 5, d.length);
        assertThat(ok(AdvertDecoder.decodeIpv4(big, 5, d.length)).packet().vrid()).isEqualTo(52);
        // ipv4Datagram builds what the raw socket delivers
        byte[] msg = Arrays.copyOfRange(d, 20, d.length);
        byte[] rebuilt = AdvertDecoder.ipv4Datagram((java.net.Inet4Address) ip("10.77.0.1"),
                (java.net.Inet4Address) ip("224.0.0.18"), 255, msg);
        assertThat(ok(AdvertDecoder.decodeIpv4(rebuilt, 0, rebuilt.length)).checksumValid(false)).isTrue();
    }

    @Test
    void ipv6DecodeNeedsIpv6Addresses() {
        byte[] d = hex(KeepalivedVectors.V3_IPV6);
        assertThat(((DecodeResult.Dropped) AdvertDecoder.decodeIpv6(d, 0, d.length, ip("10.0.0.1"),
                ip("ff02::12"), 255)).reason()).isEqualTo(DropReason.FAMILY);
        ReceivedAdvert a = ok(AdvertDecoder.decodeIpv6(d, 0, d.length, ip("fe80::1"), ip("ff02::12"), -1));
        assertThat(a.ttl()).isEqualTo(-1);
        assertThat(a.checksumValid(false)).as("wrong source breaks the pseudo-header checksum").isFalse();
    }
}
