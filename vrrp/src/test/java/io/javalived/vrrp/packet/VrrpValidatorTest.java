package io.javalived.vrrp.packet;

import static io.javalived.vrrp.packet.KeepalivedVectors.hex;
import static io.javalived.vrrp.packet.KeepalivedVectors.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.UnicastPeer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VrrpValidatorTest {
    static final InetAddress SRC = ip("10.77.0.1");
    static final InetAddress GROUP = ip("224.0.0.18");
    static final List<InetAddress> VIPS = List.of(ip("10.77.0.100"), ip("10.77.0.101"));

    /** The keepalived v2 PASS instance (vrid 51, "secret12", advert_int 1, two VIPs). */
    static ValidatorSettings v2Settings() {
        return new ValidatorSettings("VI_1", false, 2, 51, VrrpPacket.AUTH_PASS, VrrpPacket.passData("secret12"), 1,
                VIPS, List.of(), false, false, false, true);
    }

    static ReceivedAdvert advert(VrrpPacket p, InetAddress src, InetAddress dst, int ttl, boolean asV2) {
        byte[] m = p.encode(src, dst, asV2);
        byte[] d = AdvertDecoder.ipv4Datagram((Inet4Address) src, (Inet4Address) dst, ttl, m);
        return ((DecodeResult.Ok) AdvertDecoder.decodeIpv4(d, 0, d.length)).advert();
    }

    static VrrpPacket good() {
        return VrrpPacket.v2(51, 150, VrrpPacket.AUTH_PASS, VrrpPacket.passData("secret12"), 1, VIPS);
    }

    static ReceivedAdvert withChecksumBroken(ReceivedAdvert a) {
        byte[] m = a.message();
        m[6] ^= 0x01;
        return new ReceivedAdvert(a.source(), a.destination(), a.ttl(), a.packet(), m);
    }

    static Stream<Arguments> drops() {
        return Stream.of(
                Arguments.of("ttl 254", (UnaryOperator<ReceivedAdvert>) a -> advert(a.packet(), SRC, GROUP, 254, false),
                        DropReason.TTL, "(VI_1) invalid TTL/HL. Received 254 and expect 255", "ip_ttl_err", false),
                Arguments.of("version 3", (UnaryOperator<ReceivedAdvert>) a ->
                        advert(VrrpPacket.v3(51, 150, 100, VIPS), SRC, GROUP, 255, false),
                        DropReason.VERSION, "(VI_1) wrong version. Received 3 and expect 2", "version_err", false),
                Arguments.of("vrid", (UnaryOperator<ReceivedAdvert>) a -> advert(new VrrpPacket(2, 1, 52, 150, 1,
                        VrrpPacket.passData("secret12"), 1, 0, VIPS), SRC, GROUP, 255, false),
                        DropReason.VRID, "(VI_1) received VRID 52, expect 51", "vrid_err", false),
                Arguments.of("auth type 7", (UnaryOperator<ReceivedAdvert>) a -> advert(new VrrpPacket(2, 1, 51, 150, 7,
                        VrrpPacket.passData("secret12"), 1, 0, VIPS), SRC, GROUP, 255, false),
                        DropReason.INVALID_AUTH_TYPE, "(VI_1) Invalid auth type: 7", "invalid_authtype", false),
                Arguments.of("auth none", (UnaryOperator<ReceivedAdvert>) a -> advert(new VrrpPacket(2, 1, 51, 150, 0,
                        VrrpPacket.passData("secret12"), 1, 0, VIPS), SRC, GROUP, 255, false),
                        DropReason.AUTH_TYPE_MISMATCH, "(VI_1) received a 0 auth, expecting 1!", "authtype_mismatch",
                        false),
                Arguments.of("password", (UnaryOperator<ReceivedAdvert>) a -> advert(new VrrpPacket(2, 1, 51, 150, 1,
                        VrrpPacket.passData("secret13"), 1, 0, VIPS), SRC, GROUP, 255, false),
                        DropReason.AUTH_FAILURE, "(VI_1) received an invalid passwd!", "auth_failure", false),
                Arguments.of("interval", (UnaryOperator<ReceivedAdvert>) a -> advert(new VrrpPacket(2, 1, 51, 150, 1,
                        VrrpPacket.passData("secret12"), 2, 0, VIPS), SRC, GROUP, 255, false),
                        DropReason.ADVERT_INTERVAL, "(VI_1) advertisement interval mismatch mine=1 sec rcv'd=2 sec",
                        "advert_interval_err", false),
                Arguments.of("type 2", (UnaryOperator<ReceivedAdvert>) a -> advert(new VrrpPacket(2, 2, 51, 150, 1,
                        VrrpPacket.passData("secret12"), 1, 0, VIPS), SRC, GROUP, 255, false),
                        DropReason.TYPE, "(VI_1) Invalid packet type. 2 and expect 1", "invalid_type_rcvd", false),
                Arguments.of("count", (UnaryOperator<ReceivedAdvert>) a -> advert(VrrpPacket.v2(51, 150, 1,
                        VrrpPacket.passData("secret12"), 1, VIPS.subList(0, 1)), SRC, GROUP, 255, false),
                        DropReason.ADDRESS_LIST, "(VI_1) received an unexpected ip number count 1, expected 2!",
                        "addr_list_err", false),
                Arguments.of("checksum", (UnaryOperator<ReceivedAdvert>) VrrpValidatorTest::withChecksumBroken,
                        DropReason.CHECKSUM, "(VI_1) Invalid VRRPv2 checksum", "checksum_err", false),
                Arguments.of("unicast to multicast instance", (UnaryOperator<ReceivedAdvert>) a ->
                        advert(a.packet(), SRC, ip("10.77.0.2"), 255, false), DropReason.ADDRESS_LIST,
                        "(VI_1) Expected multicast packet but received unicast packet", "addr_list_err", false),
                Arguments.of("other VIPs", (UnaryOperator<ReceivedAdvert>) a -> advert(VrrpPacket.v2(51, 150, 1,
                        VrrpPacket.passData("secret12"), 1, List.of(ip("10.77.0.100"), ip("10.77.0.102"))), SRC,
                        GROUP, 255, false), DropReason.ADDRESS_LIST,
                        "(VI_1) ip address associated with VRID 51 not present in MASTER advert: 10.77.0.101",
                        "addr_list_err", true),
                Arguments.of("ipv6 source", (UnaryOperator<ReceivedAdvert>) a -> new ReceivedAdvert(ip("fe80::1"),
                        GROUP, 255, a.packet(), a.message()), DropReason.FAMILY,
                        "(VI_1) received an advert of the wrong address family from fe80:0:0:0:0:0:0:1", "family_err",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drops")
    void dropsAndCountsAsKeepalived(String what, UnaryOperator<ReceivedAdvert> mutate, DropReason reason,
                                    String message, String counter, boolean countedReceived) {
        VrrpValidator v = new VrrpValidator(v2Settings());
        ReceivedAdvert a = mutate.apply(advert(good(), SRC, GROUP, 255, false));
        Verdict verdict = v.validate(a);
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).isEqualTo(reason);
        assertThat(verdict.message()).isEqualTo(message);
        assertThat(verdict.logLines()).containsExactly(message);
        assertThat(verdict.countedReceived()).isEqualTo(countedReceived);
        VrrpCounters c = new VrrpCounters();
        c.record(verdict);
        assertThat(c.get(counter)).isEqualTo(1);
        assertThat(c.get(reason)).isEqualTo(1);
        assertThat(c.get("advert_rcvd")).isEqualTo(countedReceived ? 1 : 0);
        assertThat(c.snapshot().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(countedReceived ? 2 : 1);
    }

    @Test
    void acceptsKeepalivedsOwnAdvertsAndCountsThem() {
        VrrpValidator v = new VrrpValidator(v2Settings());
        VrrpCounters c = new VrrpCounters();
        for (String h : List.of(KeepalivedVectors.V2_PASS, KeepalivedVectors.V2_PASS_PRIO0)) {
            byte[] d = hex(h);
            Verdict verdict = v.validate(((DecodeResult.Ok) AdvertDecoder.decodeIpv4(d, 0, d.length)).advert());
            assertThat(verdict.accepted()).isTrue();
            assertThat(verdict.logLines()).isEmpty();
            c.record(verdict);
        }
        assertThat(c.get("advert_rcvd")).isEqualTo(2);
        assertThat(c.get("pri_zero_rcvd")).isEqualTo(1);
    }

    @Test
    void vipOrderDoesNotMatter() {
        VrrpValidator v = new VrrpValidator(v2Settings());
        VrrpPacket p = VrrpPacket.v2(51, 150, 1, VrrpPacket.passData("secret12"), 1,
                List.of(VIPS.get(1), VIPS.get(0)));
        assertThat(v.validate(advert(p, SRC, GROUP, 255, false)).accepted()).isTrue();
        assertThat(v.sameAddressList(p)).isTrue();
    }

    @Test
    void skipCheckAdvAddrSkipsOnlyForTheKnownMaster() {
        ValidatorSettings s = v2Settings();
        VrrpValidator v = new VrrpValidator(new ValidatorSettings(s.name(), false, 2, 51, 1, s.authData(), 1, VIPS,
                List.of(), false, false, true, true));
        ReceivedAdvert other = advert(VrrpPacket.v2(51, 150, 1, VrrpPacket.passData("secret12"), 1,
                List.of(ip("10.77.0.9"))), SRC, GROUP, 255, false);
        assertThat(v.validate(other, SRC).accepted()).isTrue();
        assertThat(v.validate(other, ip("10.77.0.3")).reason()).isEqualTo(DropReason.ADDRESS_LIST);
        assertThat(v.validate(other, null).reason()).isEqualTo(DropReason.ADDRESS_LIST);
        // without the option, always checked
        assertThat(new VrrpValidator(v2Settings()).validate(other, SRC).reason()).isEqualTo(DropReason.ADDRESS_LIST);
    }

    static ValidatorSettings v3Unicast(boolean check, boolean asV2) {
        return new ValidatorSettings("VI_2", false, 3, 52, 0, null, 0, List.of(ip("10.77.0.100")),
                List.of(new UnicastPeer(ip("10.77.0.2"), Optional.empty(), Optional.empty()),
                        new UnicastPeer(ip("10.77.0.3"), Optional.of(250), Optional.of(255))),
                check, asV2, false, true);
    }

    @Test
    void unicastIgnoresTtlButChecksPeersWhenAsked() {
        InetAddress me = ip("10.77.0.1");
        VrrpPacket p = VrrpPacket.v3(52, 100, 100, List.of(ip("10.77.0.100")));
        VrrpValidator loose = new VrrpValidator(v3Unicast(false, false));
        VrrpValidator strict = new VrrpValidator(v3Unicast(true, false));
        assertThat(loose.validate(advert(p, ip("10.77.0.2"), me, 64, false)).accepted()).isTrue();
        assertThat(loose.validate(advert(p, ip("10.77.0.9"), me, 64, false)).accepted()).isTrue();
        Verdict unknown = strict.validate(advert(p, ip("10.77.0.9"), me, 64, false));
        assertThat(unknown.reason()).isEqualTo(DropReason.UNKNOWN_UNICAST_SOURCE);
        assertThat(unknown.message()).isEqualTo("(VI_2) unicast source address 10.77.0.9 not a unicast peer");
        assertThat(strict.validate(advert(p, ip("10.77.0.2"), me, 64, false)).accepted()).isTrue();
        Verdict ttl = strict.validate(advert(p, ip("10.77.0.3"), me, 64, false));
        assertThat(ttl.reason()).isEqualTo(DropReason.TTL);
        assertThat(ttl.message()).isEqualTo("(VI_2) TTL/HL 64 not in range 250 - 255");
        assertThat(strict.validate(advert(p, ip("10.77.0.3"), me, 251, false)).accepted()).isTrue();
        // multicast packet on a unicast instance
        assertThat(loose.validate(advert(p, ip("10.77.0.2"), GROUP, 255, false)).message())
                .isEqualTo("(VI_2) Expected unicast packet but received multicast packet");
    }

    @Test
    void v3ChecksumModeMustMatch() {
        VrrpPacket p = VrrpPacket.v3(52, 100, 100, List.of(ip("10.77.0.100")));
        InetAddress me = ip("10.77.0.1");
        ReceivedAdvert pseudo = advert(p, ip("10.77.0.2"), me, 255, false);
        ReceivedAdvert plain = advert(p, ip("10.77.0.2"), me, 255, true);
        assertThat(new VrrpValidator(v3Unicast(false, false)).validate(pseudo).accepted()).isTrue();
        assertThat(new VrrpValidator(v3Unicast(false, false)).validate(plain).reason())
                .isEqualTo(DropReason.CHECKSUM);
        assertThat(new VrrpValidator(v3Unicast(false, true)).validate(plain).accepted()).isTrue();
        assertThat(new VrrpValidator(v3Unicast(false, true)).validate(pseudo).message())
                .isEqualTo("(VI_2) Invalid VRRPv3 checksum");
    }

    @Test
    void ipv6KeepalivedAdvertValidatesAndHopLimitIsChecked() {
        ValidatorSettings s = new ValidatorSettings("VI_6", true, 3, 53, 0, null, 0,
                List.of(ip("fe80::100"), ip("2001:db8::100")), List.of(), false, false, false, true);
        VrrpValidator v = new VrrpValidator(s);
        byte[] d = hex(KeepalivedVectors.V3_IPV6);
        InetAddress src = ip(KeepalivedVectors.V3_IPV6_SRC);
        InetAddress dst = ip(KeepalivedVectors.V3_IPV6_DST);
        for (int hl : new int[] {255, -1}) {
            ReceivedAdvert a = ((DecodeResult.Ok) AdvertDecoder.decodeIpv6(d, 0, d.length, src, dst, hl)).advert();
            assertThat(v.validate(a).accepted()).isTrue();
        }
        ReceivedAdvert low = ((DecodeResult.Ok) AdvertDecoder.decodeIpv6(d, 0, d.length, src, dst, 1)).advert();
        assertThat(v.validate(low).reason()).isEqualTo(DropReason.TTL);
        // a corrupt checksum is caught in user space unless the kernel does it
        byte[] bad = d.clone();
        bad[7] ^= 1;
        ReceivedAdvert b = ((DecodeResult.Ok) AdvertDecoder.decodeIpv6(bad, 0, bad.length, src, dst, 255)).advert();
        assertThat(v.validate(b).reason()).isEqualTo(DropReason.CHECKSUM);
        ValidatorSettings kernel = new ValidatorSettings("VI_6", true, 3, 53, 0, null, 0, s.virtualIps(), List.of(),
                false, false, false, false);
        assertThat(new VrrpValidator(kernel).validate(b).accepted()).isTrue();
    }

    @Test
    void countersHaveKeepalivedsNames() {
        VrrpCounters c = new VrrpCounters();
        assertThat(c.snapshot().keySet()).startsWith(VrrpCounters.KEEPALIVED_NAMES);
        assertThat(VrrpCounters.KEEPALIVED_NAMES).containsExactly("advert_rcvd", "advert_sent", "become_master",
                "release_master", "packet_len_err", "advert_interval_err", "ip_ttl_err", "invalid_type_rcvd",
                "addr_list_err", "invalid_authtype", "authtype_mismatch", "auth_failure", "pri_zero_rcvd",
                "pri_zero_sent");
        c.advertSent(100);
        c.advertSent(0);
        c.becomeMaster();
        c.releaseMaster();
        c.drop(DropReason.PACKET_LENGTH);
        assertThat(c.get("advert_sent")).isEqualTo(2);
        assertThat(c.get("pri_zero_sent")).isEqualTo(1);
        assertThat(c.get("become_master")).isEqualTo(1);
        assertThat(c.get("release_master")).isEqualTo(1);
        assertThat(c.get("packet_len_err")).isEqualTo(1);
        for (DropReason r : DropReason.values()) {
            assertThat(c.snapshot()).containsKey(r.counterName());
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.get("nope"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
