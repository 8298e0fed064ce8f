package io.javalived.vrrp.packet;

import static io.javalived.vrrp.KeepalivedPair.sh;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.UnicastPeer;
import io.javalived.vrrp.KeepalivedPair;
import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.inet.RawIpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The codec against a live keepalived 2.2.7 on a veth pair between two private namespaces: every advert keepalived
 * sends (v2 with auth PASS, v3 multicast, v3 unicast, v3 over IPv6) decodes and passes the validator, and adverts
 * encoded here (priority 200) make each keepalived instance step down from MASTER — keepalived accepted our
 * checksums, auth data and address lists. Corrupt ones are rejected by keepalived with its own log lines.
 */
class KeepalivedWireTest {
    static final long PID = ProcessHandle.current().pid() % 100000;
    static final String NK = "jvd1k" + PID;
    static final String NJ = "jvd1j" + PID;
    static final InetAddress K4 = ip("10.78.0.1");
    static final InetAddress J4 = ip("10.78.0.2");
    static final InetAddress K6 = ip("fe80::1");
    static final InetAddress J6 = ip("fe80::2");
    static final InetAddress G4 = ip("224.0.0.18");
    static final InetAddress G6 = ip("ff02::12");

    static KeepalivedPair lab;
    static Path dir;
    static ExecutorService inJ;
    static int ifindex;

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @BeforeAll
    static void up() throws Exception {
        lab = new KeepalivedPair(NK, NJ, "jvd1wire");
        dir = lab.dir;
        try {
            sh("ip -n " + NK + " link add jk0 type veth peer name jj0 netns " + NJ);
            for (String[] n : new String[][] {{NK, "jk0", "10.78.0.1", "fe80::1"}, {NJ, "jj0", "10.78.0.2",
                "fe80::2"}}) {
                sh("ip -n " + n[0] + " link set " + n[1] + " addrgenmode none");
                sh("ip -n " + n[0] + " addr add " + n[2] + "/24 dev " + n[1]);
                sh("ip -n " + n[0] + " addr add " + n[3] + "/64 dev " + n[1] + " nodad");
                sh("ip -n " + n[0] + " link set lo up");
                sh("ip -n " + n[0] + " link set " + n[1] + " up");
            }
            Files.writeString(dir.resolve("k.conf"), """
                    global_defs {
                        router_id jvd1
                        vrrp_garp_master_delay 0
                        vrrp_garp_master_repeat 1
                    }
                    vrrp_instance V2 {
                        state BACKUP
                        interface jk0
                        virtual_router_id 61
                        version 2
                        priority 100
                        advert_int 1
                        authentication {
                            auth_type PASS
                            auth_pass hunter22
                        }
                        virtual_ipaddress {
                            10.78.0.61/32
                        }
                    }
                    vrrp_instance V3 {
                        state BACKUP
                        interface jk0
                        virtual_router_id 62
                        version 3
                        priority 100
                        advert_int 0.2
                        virtual_ipaddress {
                            10.78.0.62/32
                            10.78.0.162/32
                        }
                    }
                    vrrp_instance U3 {
                        state BACKUP
                        interface jk0
                        virtual_router_id 64
                        version 3
                        priority 100
                        advert_int 0.2
                        unicast_src_ip 10.78.0.1
                        unicast_peer {
                            10.78.0.2
                        }
                        virtual_ipaddress {
                            10.78.0.64/32
                        }
                    }
                    vrrp_instance V6 {
                        state BACKUP
                        interface jk0
                        virtual_router_id 63
                        version 3
                        priority 100
                        advert_int 0.2
                        virtual_ipaddress {
                            fd78::63/64
                        }
                    }
                    """);
            inJ = lab.threadsInJ(1, "jvd1-wire");
            ifindex = inJ.submit(() -> Interfaces.index("jj0")).get();
        } catch (Exception e) {
            down();
            throw e;
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    static Map<Integer, VrrpValidator> validators() {
        byte[] pass = VrrpPacket.passData("hunter22");
        return Map.of(
                61, new VrrpValidator(new ValidatorSettings("V2", false, 2, 61, VrrpPacket.AUTH_PASS, pass, 1,
                        List.of(ip("10.78.0.61")), List.of(), false, false, false, true)),
                62, new VrrpValidator(new ValidatorSettings("V3", false, 3, 62, 0, null, 0,
                        List.of(ip("10.78.0.62"), ip("10.78.0.162")), List.of(), false, false, false, true)),
                64, new VrrpValidator(new ValidatorSettings("U3", false, 3, 64, 0, null, 0,
                        List.of(ip("10.78.0.64")), List.of(new UnicastPeer(K4, Optional.empty(), Optional.empty())),
                        true, false, false, true)),
                63, new VrrpValidator(new ValidatorSettings("V6", true, 3, 63, 0, null, 0,
                        List.of(ip("fd78::63")), List.of(), false, false, false, true)));
    }

    @Test
    void keepalivedAndTheCodecUnderstandEachOther() throws Exception {
        RawIpSocket s4 = inJ.submit(() -> {
            RawIpSocket s = RawIpSocket.open(false, RawIpSocket.IPPROTO_VRRP, "wire test v4");
            s.joinGroup(G4, ifindex);
            s.setMulticastInterface(ifindex);
            s.setInt(RawIpSocket.IPPROTO_IP, RawIpSocket.IP_MULTICAST_TTL, 255, "IP_MULTICAST_TTL");
            s.setInt(RawIpSocket.IPPROTO_IP, RawIpSocket.IP_TTL, 255, "IP_TTL");
            return s;
        }).get();
        RawIpSocket s6 = inJ.submit(() -> {
            RawIpSocket s = RawIpSocket.open(true, RawIpSocket.IPPROTO_VRRP, "wire test v6");
            s.requestIpv6Ancillary();
            s.joinGroup(G6, ifindex);
            s.setMulticastInterface(ifindex);
            s.setHopLimit(255);
            return s;
        }).get();
        Map<Integer, VrrpValidator> validators = validators();
        Map<Integer, List<Verdict>> verdicts = new ConcurrentHashMap<>();
        List<String> undecodable = Collections.synchronizedList(new ArrayList<>());
        ExecutorService rx = Executors.newFixedThreadPool(2);
        try {
            for (RawIpSocket s : List.of(s4, s6)) {
                rx.submit(() -> {
                    RawIpSocket.Datagram d = new RawIpSocket.Datagram();
                    while (s.receive(d)) {
                        DecodeResult r = s.ipv6()
                                ? AdvertDecoder.decodeIpv6(d.data, 0, d.length, d.source, d.destination, d.hopLimit)
                                : AdvertDecoder.decodeIpv4(d.data, 0, d.length);
                        if (r instanceof DecodeResult.Dropped dr) {
                            undecodable.add(dr.message());
                            continue;
                        }
                        ReceivedAdvert a = ((DecodeResult.Ok) r).advert();
                        if (a.source().equals(J4) || a.source().equals(J6)) {
                            continue; // our own, looped back
                        }
                        VrrpValidator v = validators.get(a.packet().vrid());
                        if (v != null) {
                            verdicts.computeIfAbsent(a.packet().vrid(), k -> Collections.synchronizedList(
                                    new ArrayList<>())).add(v.validate(a));
                        }
                    }
                    return null;
                });
            }
            lab.startKeepalived();

            // 1. keepalived -> codec: every instance becomes MASTER (~3.6 s for v2) and its adverts validate
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < deadline && !List.of(61, 62, 63, 64).stream()
                    .allMatch(vrid -> verdicts.getOrDefault(vrid, List.of()).size() >= 2)) {
                Thread.sleep(100);
            }
            for (int vrid : List.of(61, 62, 63, 64)) {
                List<Verdict> l = List.copyOf(verdicts.getOrDefault(vrid, List.of()));
                assertThat(l).as("adverts from keepalived VRID %d; log:%n%s", vrid, log()).hasSizeGreaterThanOrEqualTo(2);
                assertThat(l).as("VRID %d", vrid).allSatisfy(v -> assertThat(v.accepted()).as(v.message()).isTrue());
            }
            assertThat(undecodable).isEmpty();

            // 2. codec -> keepalived: corrupt adverts are refused, good ones with priority 200 win
            List<VrrpPacket> good = List.of(
                    VrrpPacket.v2(61, 200, VrrpPacket.AUTH_PASS, VrrpPacket.passData("hunter22"), 1,
                            List.of(ip("10.78.0.61"))),
                    VrrpPacket.v3(62, 200, 20, List.of(ip("10.78.0.62"), ip("10.78.0.162"))),
                    VrrpPacket.v3(64, 200, 20, List.of(ip("10.78.0.64"))),
                    VrrpPacket.v3(63, 200, 20, List.of(ip("fd78::63"))));
            inJ.submit(() -> {
                byte[] wrongPass = VrrpPacket.v2(61, 200, VrrpPacket.AUTH_PASS, VrrpPacket.passData("hunter23"), 1,
                        List.of(ip("10.78.0.61"))).encode(J4, G4, false);
                s4.send(wrongPass, wrongPass.length, G4, 0);
                byte[] badSum = good.get(1).encode(J4, G4, true); // v2-style checksum on a v3 advert
                s4.send(badSum, badSum.length, G4, 0);
                return null;
            }).get();
            for (int round = 0; round < 8; round++) {
                inJ.submit(() -> {
                    byte[] m = good.get(0).encode(J4, G4, false);
                    s4.send(m, m.length, G4, 0);
                    m = good.get(1).encode(J4, G4, false);
                    s4.send(m, m.length, G4, 0);
                    m = good.get(2).encode(J4, K4, false); // unicast: pseudo-header with keepalived's address
                    s4.send(m, m.length, K4, 0);
                    m = good.get(3).encode(J6, G6, false); // our own IPv6 checksum (no IPV6_CHECKSUM)
                    s6.send(m, m.length, G6, ifindex);
                    return null;
                }).get();
                Thread.sleep(200);
            }
            String log = log();
            assertThat(log).contains("(V2) received an invalid passwd!", "(V3) Invalid VRRPv3 checksum");
            for (String[] e : new String[][] {{"V2", "10.78.0.2"}, {"V3", "10.78.0.2"}, {"U3", "10.78.0.2"},
                {"V6", "fe80::2"}}) {
                assertThat(log).as(log).contains("(" + e[0] + ") Master received advert from " + e[1]
                        + " with higher priority 200, ours 100");
                assertThat(log.substring(log.indexOf("(" + e[0] + ") Master received advert")))
                        .contains("(" + e[0] + ") Entering BACKUP STATE");
            }
        } finally {
            s4.shutdown();
            s6.shutdown();
            rx.shutdown();
            rx.awaitTermination(5, TimeUnit.SECONDS);
            s4.close();
            s6.close();
        }
    }

    static String log() throws IOException {
        return lab.log();
    }
}
