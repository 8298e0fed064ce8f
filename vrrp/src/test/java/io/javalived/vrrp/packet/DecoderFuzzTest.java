package io.javalived.vrrp.packet;

import static io.javalived.vrrp.packet.KeepalivedVectors.hex;
import static io.javalived.vrrp.packet.KeepalivedVectors.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.UnicastPeer;
import io.javalived.vrrp.state.PeerAdvert;
import io.javalived.vrrp.state.VrrpSettings;
import io.javalived.vrrp.state.VrrpStateMachine;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds ≥ 1,000,000 mutated datagrams (bit flips, byte overwrites, header-field tweaks, truncation, extension,
 * pure random bytes) derived from valid seeds (keepalived captures and generated adverts) through the decoders,
 * the validators and a state machine. Deterministic seed. Nothing may throw.
 */
class DecoderFuzzTest {
    static final long SEED = 0x5EED_4_1_2026L;
    static final int ROUNDS = 1_050_000;

    @Test
    void survivesAMillionMutatedPackets() {
        List<byte[]> v4Seeds = new ArrayList<>();
        List<byte[]> v6Seeds = new ArrayList<>();
        v4Seeds.add(hex(KeepalivedVectors.V2_PASS));
        v4Seeds.add(hex(KeepalivedVectors.V2_PASS_PRIO0));
        v4Seeds.add(hex(KeepalivedVectors.V3_IPV4));
        v4Seeds.add(hex(KeepalivedVectors.V3_IPV4_PRIO0));
        v6Seeds.add(hex(KeepalivedVectors.V3_IPV6));
        v6Seeds.add(hex(KeepalivedVectors.V3_IPV6_PRIO0));
        Inet4Address src = (Inet4Address) ip("10.77.0.1");
        Inet4Address grp = (Inet4Address) ip("224.0.0.18");
        List<InetAddress> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(ip("10.9.0." + i));
        }
        v4Seeds.add(AdvertDecoder.ipv4Datagram(src, grp, 255,
                VrrpPacket.v2(51, 100, 0, null, 1, List.of()).encode(null, null, false)));
        v4Seeds.add(AdvertDecoder.ipv4Datagram(src, grp, 255,
                VrrpPacket.v3(52, 255, 1, many).encode(src, grp, false)));
        v4Seeds.add(AdvertDecoder.ipv4Datagram(src, (Inet4Address) ip("10.77.0.2"), 64,
                VrrpPacket.v3(52, 100, 100, List.of(ip("10.77.0.100"))).encode(src, ip("10.77.0.2"), true)));
        v6Seeds.add(VrrpPacket.v3(53, 1, 4095, List.of()).encode(ip("fe80::1"), ip("ff02::12"), false));

        List<VrrpValidator> v4Validators = List.of(
                new VrrpValidator(VrrpValidatorTest.v2Settings()),
                new VrrpValidator(new ValidatorSettings("VI_2", false, 3, 52, 0, null, 0,
                        List.of(ip("10.77.0.100")), List.of(), false, false, true, true)),
                new VrrpValidator(new ValidatorSettings("VI_3", false, 3, 52, 0, null, 0,
                        List.of(ip("10.77.0.100")), List.of(new UnicastPeer(ip("10.77.0.1"), Optional.of(1),
                        Optional.of(255))), true, true, false, true)));
        VrrpValidator v6Validator = new VrrpValidator(new ValidatorSettings("VI_6", true, 3, 53, 0, null, 0,
                List.of(ip("fe80::100"), ip("2001:db8::100")), List.of(), false, false, false, true));
        VrrpStateMachine sm = new VrrpStateMachine(VrrpSettings.of("VI_F", 3, 100, 1_000_000_000L, ip("10.77.0.2")));
        long now = 0;
        sm.start(now);

        SplittableRandom rnd = new SplittableRandom(SEED);
        VrrpCounters counters = new VrrpCounters();
        Map<DropReason, Integer> decodeDrops = new EnumMap<>(DropReason.class);
        int decoded = 0;
        int accepted = 0;
        InetAddress v6src = ip(KeepalivedVectors.V3_IPV6_SRC);
        InetAddress v6dst = ip(KeepalivedVectors.V3_IPV6_DST);
        for (int round = 0; round < ROUNDS; round++) {
            boolean v6 = rnd.nextInt(5) == 0;
            List<byte[]> seeds = v6 ? v6Seeds : v4Seeds;
            byte[] pkt = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd, v6);
            int off = 0;
            int len = pkt.length;
            if (rnd.nextInt(50) == 0) { // sometimes hand a slice of a bigger buffer, or bogus bounds
                byte[] big = new byte[pkt.length + 16];
                off = rnd.nextInt(17);
                System.arraycopy(pkt, 0, big, off, pkt.length);
                pkt = big;
                len = rnd.nextInt(4) == 0 ? rnd.nextInt(-4, pkt.length + 8) : len;
            }
            try {
                DecodeResult r = v6
                        ? AdvertDecoder.decodeIpv6(pkt, off, len, v6src, v6dst, rnd.nextInt(3) == 0 ? -1 : 255)
                        : AdvertDecoder.decodeIpv4(pkt, off, len);
                if (r instanceof DecodeResult.Dropped d) {
                    decodeDrops.merge(d.reason(), 1, Integer::sum);
                    counters.drop(d.reason());
                    assertThat(d.message()).isNotNull();
                    continue;
                }
                decoded++;
                ReceivedAdvert a = ((DecodeResult.Ok) r).advert();
                List<VrrpValidator> vs = v6 ? List.of(v6Validator) : v4Validators;
                for (VrrpValidator v : vs) {
                    Verdict verdict = v.validate(a, rnd.nextBoolean() ? a.source() : null);
                    counters.record(verdict);
                    if (verdict.accepted()) {
                        accepted++;
                        now += 1_000_000;
                        sm.onAdvert(now, PeerAdvert.of(a));
                        sm.onTimer(now);
                    }
                }
            } catch (Throwable t) {
                throw new AssertionError("round " + round + " input "
                        + HexFormat.of().formatHex(pkt, 0, pkt.length) + " off " + off + " len " + len, t);
            }
        }
        System.out.printf("fuzz: %d packets, %d decoded, %d accepted by a validator; decode drops %s; counters %s%n",
                ROUNDS, decoded, accepted, decodeDrops, counters.snapshot());
        assertThat(ROUNDS).isGreaterThanOrEqualTo(1_000_000);
        // the mutations reach every stage, not just the first length check
        assertThat(decoded).isGreaterThan(ROUNDS / 10);
        assertThat(accepted).isGreaterThan(1000);
        for (String c : List.of("packet_len_err", "ip_ttl_err", "invalid_type_rcvd", "addr_list_err",
                "invalid_authtype", "authtype_mismatch", "auth_failure", "advert_interval_err", "checksum_err",
                "version_err", "advert_rcvd", "pri_zero_rcvd")) {
            assertThat(counters.get(c)).as(c).isPositive();
        }
    }

    static byte[] mutate(byte[] seed, SplittableRandom rnd, boolean v6) {
        byte[] p = seed.clone();
        int kind = rnd.nextInt(10);
        switch (kind) {
            case 0, 1, 2 -> { // flip 1..8 bits
                int n = 1 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    p[rnd.nextInt(p.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 3 -> { // overwrite 1..4 bytes
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    p[rnd.nextInt(p.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 4 -> { // truncate
                p = java.util.Arrays.copyOf(p, rnd.nextInt(p.length));
            }
            case 5 -> { // extend with random bytes
                int n = 1 + rnd.nextInt(64);
                byte[] q = java.util.Arrays.copyOf(p, p.length + n);
                for (int i = p.length; i < q.length; i++) {
                    q[i] = (byte) rnd.nextInt(256);
                }
                p = q;
            }
            case 6 -> { // header fields that drive lengths and dispatch
                int base = v6 ? 0 : 20;
                int[] fields = v6 ? new int[] {0, 1, 2, 3, 4, 5} : new int[] {0, 2, 3, 8, 9, base, base + 1,
                    base + 2, base + 3, base + 4, base + 5};
                int f = fields[rnd.nextInt(fields.length)];
                if (f < p.length) {
                    p[f] = (byte) rnd.nextInt(256);
                }
            }
            case 7 -> { // consistent count/length change: fix up IPv4 total length afterwards
                int base = v6 ? 0 : 20;
                if (base + 3 < p.length) {
                    p[base + 3] = (byte) rnd.nextInt(256);
                }
                int n = rnd.nextInt(-16, 64);
                p = java.util.Arrays.copyOf(p, Math.max(0, p.length + n));
                if (!v6 && p.length >= 4) {
                    p[2] = (byte) (p.length >>> 8);
                    p[3] = (byte) p.length;
                }
            }
            case 8 -> { // pure random bytes
                p = new byte[rnd.nextInt(120)];
                for (int i = 0; i < p.length; i++) {
                    p[i] = (byte) rnd.nextInt(256);
                }
            }
            default -> { // valid structure, random priority / interval / ttl, recomputed checksums
                if (!v6 && p.length >= 28) {
                    p[8] = (byte) (rnd.nextBoolean() ? 255 : rnd.nextInt(256));
                    p[22] = (byte) rnd.nextInt(256);
                    p[20 + 6] = 0;
                    p[20 + 7] = 0;
                    int version = (p[20] & 0xff) >>> 4;
                    InetAddress s;
                    InetAddress d;
                    try {
                        s = InetAddress.getByAddress(java.util.Arrays.copyOfRange(p, 12, 16));
                        d = InetAddress.getByAddress(java.util.Arrays.copyOfRange(p, 16, 20));
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                    int c = VrrpChecksum.compute(version, s, d, rnd.nextInt(4) == 0, p, 20, p.length - 20);
                    p[26] = (byte) (c >>> 8);
                    p[27] = (byte) c;
                }
            }
        }
        return p;
    }
}
