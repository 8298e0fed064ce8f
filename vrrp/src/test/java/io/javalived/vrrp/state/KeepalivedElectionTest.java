package io.javalived.vrrp.state;

import static io.javalived.vrrp.KeepalivedPair.sh;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.inet.RawIpSocket;
import io.javalived.vrrp.KeepalivedPair;
import io.javalived.vrrp.packet.AdvertDecoder;
import io.javalived.vrrp.packet.DecodeResult;
import io.javalived.vrrp.packet.ReceivedAdvert;
import io.javalived.vrrp.packet.ValidatorSettings;
import io.javalived.vrrp.packet.VrrpPacket;
import io.javalived.vrrp.packet.VrrpValidator;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The state machine in real elections against keepalived 2.2.7 (private namespaces, a veth pair). A minimal driver
 * (one raw socket, no VIPs) runs four machines against four keepalived instances; keepalived starts first and is
 * MASTER of E1..E3 when our machines start:
 * <ul>
 *   <li>E1: equal priority 100; our machine is deaf for its first 600 ms, so both are MASTER (a healed partition):
 *       our address 10.78.0.2 is higher than keepalived's 10.78.0.1, keepalived steps down, we stay;</li>
 *   <li>E2: the same, but keepalived advertises from 10.78.0.3 (mcast_src_ip): we step down, keepalived stays;</li>
 *   <li>E3: we have 150, keepalived 100: we preempt after master_down; on our shutdown (priority 0) keepalived
 *       takes over after its skew alone, well before master_down;</li>
 *   <li>E4: VRRPv2 with auth PASS, keepalived 200, we 100: we stay BACKUP on its adverts.</li>
 * </ul>
 * Both sides must agree: exactly one MASTER per virtual router once settled.
 */
class KeepalivedElectionTest {
    static final long PID = ProcessHandle.current().pid() % 100000;
    static final String NK = "jvd1e" + PID;
    static final String NJ = "jvd1f" + PID;
    static final InetAddress ME = ip("10.78.0.2");
    static final InetAddress GROUP = ip("224.0.0.18");
    static final long MS = 1_000_000L;

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
        lab = new KeepalivedPair(NK, NJ, "jvd1elect");
        dir = lab.dir;
        try {
            sh("ip -n " + NK + " link add ek0 type veth peer name ej0 netns " + NJ);
            sh("ip -n " + NK + " addr add 10.78.0.1/24 dev ek0");
            sh("ip -n " + NK + " addr add 10.78.0.3/24 dev ek0");
            sh("ip -n " + NJ + " addr add 10.78.0.2/24 dev ej0");
            for (String[] n : new String[][] {{NK, "ek0"}, {NJ, "ej0"}}) {
                sh("ip -n " + n[0] + " link set lo up");
                sh("ip -n " + n[0] + " link set " + n[1] + " up");
            }
            StringBuilder conf = new StringBuilder("""
                    global_defs {
                        router_id jvd1e
                        vrrp_garp_master_delay 0
                        vrrp_garp_master_repeat 1
                    }
                    """);
            conf.append(instance("E1", 71, 3, 100, "0.1", "", "10.78.0.71"));
            conf.append(instance("E2", 72, 3, 100, "0.1", "mcast_src_ip 10.78.0.3", "10.78.0.72"));
            conf.append(instance("E3", 73, 3, 100, "0.1", "", "10.78.0.73"));
            conf.append(instance("E4", 74, 2, 200, "1",
                    "authentication {\n auth_type PASS\n auth_pass elect\n }", "10.78.0.74"));
            Files.writeString(dir.resolve("k.conf"), conf.toString());
            inJ = lab.threadsInJ(2, "jvd1-election");
            ifindex = inJ.submit(() -> Interfaces.index("ej0")).get();
        } catch (Exception e) {
            down();
            throw e;
        }
    }

    static String instance(String name, int vrid, int version, int prio, String interval, String extra, String vip) {
        return "vrrp_instance " + name + " {\n state BACKUP\n interface ek0\n virtual_router_id " + vrid
                + "\n version " + version + "\n priority " + prio + "\n advert_int " + interval + "\n " + extra
                + "\n virtual_ipaddress {\n " + vip + "/32\n }\n}\n";
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /** One of our instances: machine, validator, what it sends. */
    record Node(int vrid, VrrpStateMachine sm, VrrpValidator validator, List<VrrpAction.StateChanged> changes,
                List<Long> changeTimes) {
        VrrpPacket advert(int prio) {
            return sm.settings().version() == 2
                    ? VrrpPacket.v2(vrid, prio, VrrpPacket.AUTH_PASS, VrrpPacket.passData("elect"), 1,
                            validator.settings().virtualIps())
                    : VrrpPacket.v3(vrid, prio, sm.settings().advertIntervalField(),
                            validator.settings().virtualIps());
        }
    }

    static Node node(int vrid, int version, int prio, long interval) {
        VrrpSettings s = VrrpSettings.of("E" + (vrid - 70), version, prio, interval, ME);
        ValidatorSettings v = new ValidatorSettings(s.name(), false, version, vrid,
                version == 2 ? VrrpPacket.AUTH_PASS : 0, VrrpPacket.passData("elect"),
                (int) (interval / 1_000_000_000L), List.of(ip("10.78.0." + vrid)), List.of(), false, false, false,
                true);
        return new Node(vrid, new VrrpStateMachine(s), new VrrpValidator(v), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
    }

    @Test
    void electionsAgreeWithKeepalived() throws Exception {
        Map<Integer, Node> nodes = Map.of(
                71, node(71, 3, 100, 100 * MS),
                72, node(72, 3, 100, 100 * MS),
                73, node(73, 3, 150, 100 * MS),
                74, node(74, 2, 100, 1000 * MS));
        RawIpSocket sock = inJ.submit(() -> {
            RawIpSocket s = RawIpSocket.open(false, RawIpSocket.IPPROTO_VRRP, "election test");
            s.joinGroup(GROUP, ifindex);
            s.setMulticastInterface(ifindex);
            s.setInt(RawIpSocket.IPPROTO_IP, RawIpSocket.IP_MULTICAST_TTL, 255, "IP_MULTICAST_TTL");
            s.setMulticastLoop(false);
            return s;
        }).get();
        BlockingQueue<ReceivedAdvert> rxq = new LinkedBlockingQueue<>();
        Map<Integer, List<long[]>> keepalivedAdverts = new ConcurrentHashMap<>(); // vrid -> {time, prio}
        BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> rejected = new CopyOnWriteArrayList<>();
        Future<?> receiver = inJ.submit(() -> {
            RawIpSocket.Datagram d = new RawIpSocket.Datagram();
            while (sock.receive(d)) {
                long t = System.nanoTime();
                if (AdvertDecoder.decodeIpv4(d.data, 0, d.length) instanceof DecodeResult.Ok ok
                        && !ok.advert().source().equals(ME)) {
                    keepalivedAdverts.computeIfAbsent(ok.advert().packet().vrid(), k -> new CopyOnWriteArrayList<>())
                            .add(new long[] {t, ok.advert().packet().priority()});
                    rxq.add(ok.advert());
                }
            }
            return null;
        });
        lab.startKeepalived();
        Thread.sleep(1500); // keepalived is MASTER of E1..E3 after ~0.4 s
        long[] deafUntil = new long[1];
        Future<?> driver = inJ.submit(() -> {
            deafUntil[0] = System.nanoTime() + 600 * MS;
            for (Node n : nodes.values()) {
                perform(n, n.sm().start(System.nanoTime()), sock);
            }
            while (!stop.get()) {
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (Node n : nodes.values()) {
                    if (n.sm().nextDeadlineNanos() <= now) {
                        perform(n, n.sm().onTimer(now), sock);
                    }
                    next = Math.min(next, n.sm().nextDeadlineNanos());
                }
                for (Runnable c; (c = commands.poll()) != null; ) {
                    c.run();
                }
                long wait = Math.max(0, Math.min(next - System.nanoTime(), 5 * MS));
                ReceivedAdvert a = rxq.poll(wait, TimeUnit.NANOSECONDS);
                if (a != null) {
                    Node n = nodes.get(a.packet().vrid());
                    io.javalived.vrrp.packet.Verdict v = n == null ? null
                            : n.validator().validate(a, n.sm().lastMasterAddress());
                    if (v != null && !v.accepted()) {
                        rejected.add(v.message());
                    }
                    boolean deaf = (a.packet().vrid() == 71 || a.packet().vrid() == 72)
                            && System.nanoTime() < deafUntil[0];
                    if (v != null && v.accepted() && !deaf) {
                        long t = System.nanoTime();
                        perform(n, n.sm().onAdvert(t, PeerAdvert.of(a)), sock);
                    }
                }
            }
            return null;
        });
        try {
            Thread.sleep(3500); // v2 E4: keepalived master 3.2 s after its start
            assertThat(driver.isDone()).as("driver alive").isFalse();
            long now = System.nanoTime();
            String log = lab.log();
            assertThat(rejected).as("keepalived's adverts all pass our validator").isEmpty();
            // E1: both were MASTER; we win on the address and keepalived steps down
            assertThat(nodes.get(71).changes()).extracting(VrrpAction.StateChanged::to)
                    .containsExactly(VrrpState.BACKUP, VrrpState.MASTER);
            assertThat(log).contains("(E1) Master received advert from 10.78.0.2 with same priority 100 but higher "
                    + "IP address than ours", "(E1) Entering BACKUP STATE");
            assertThat(advertsSince(keepalivedAdverts, 71, now - 1000 * MS)).as(log).isZero();
            // E2: both were MASTER; keepalived wins on its address 10.78.0.3 and we step down
            assertThat(nodes.get(72).changes()).extracting(VrrpAction.StateChanged::to)
                    .containsExactly(VrrpState.BACKUP, VrrpState.MASTER, VrrpState.BACKUP);
            assertThat(nodes.get(72).changes().get(2).reason()).isEqualTo(TransitionReason.HIGHER_PRIORITY_ADVERT);
            assertThat(log).contains("(E2) Received advert from 10.78.0.2 with lower priority 100, ours 100, "
                    + "forcing new election");
            assertThat(log).doesNotContain("(E2) Entering BACKUP STATE\n");
            assertThat(advertsSince(keepalivedAdverts, 72, now - 1000 * MS)).isGreaterThanOrEqualTo(5);
            // E3: we preempt keepalived on priority
            assertThat(nodes.get(73).sm().state()).isEqualTo(VrrpState.MASTER);
            assertThat(log).contains("(E3) Master received advert from 10.78.0.2 with higher priority 150, ours 100");
            assertThat(advertsSince(keepalivedAdverts, 73, now - 1000 * MS)).isZero();
            // E4: v2 PASS, keepalived 200 is master, we stay backup
            assertThat(nodes.get(74).sm().state()).as(log).isEqualTo(VrrpState.BACKUP);
            assertThat(advertsSince(keepalivedAdverts, 74, now - 2000 * MS)).isGreaterThanOrEqualTo(1);
            assertThat(nodes.get(74).changes()).extracting(VrrpAction.StateChanged::to)
                    .containsExactly(VrrpState.BACKUP);

            // graceful handover: our E3 sends priority 0; keepalived takes over after its skew (61 ms at 100/0.1 s)
            long[] shutdownAt = new long[1];
            commands.add(() -> {
                shutdownAt[0] = System.nanoTime();
                perform(nodes.get(73), nodes.get(73).sm().shutdown(shutdownAt[0]), sock);
            });
            Thread.sleep(1000);
            List<long[]> e3 = keepalivedAdverts.getOrDefault(73, List.of());
            long first = e3.stream().filter(x -> x[0] > shutdownAt[0] && x[1] == 100).mapToLong(x -> x[0]).min()
                    .orElse(Long.MAX_VALUE);
            long tookMs = (first - shutdownAt[0]) / MS;
            System.out.printf("keepalived took over E3 %d ms after our priority-0 advert (skew 61 ms, master_down"
                    + " 361 ms)%n", tookMs);
            assertThat(tookMs).as(lab.log()).isBetween(40L, 250L);

            // keepalived stops (SIGTERM): it sends priority 0, our backups E2 (v3) and E4 (v2) take over after the
            // skew alone: 61 ms and 609 ms, not master_down (361 ms, 3.6 s)
            assertThat(lab.stopKeepalived()).isTrue();
            Thread.sleep(1200);
            for (int[] e : new int[][] {{72, 61, 361}, {74, 609, 3609}}) {
                Node n = nodes.get(e[0]);
                assertThat(n.sm().state()).as("E%d", e[0] - 70).isEqualTo(VrrpState.MASTER);
                long zeroAt = keepalivedAdverts.get(e[0]).stream().filter(x -> x[1] == 0).mapToLong(x -> x[0])
                        .min().orElseThrow();
                long masterAt = n.changeTimes().get(n.changes().size() - 1);
                long ms = (masterAt - zeroAt) / MS;
                System.out.printf("E%d became MASTER %d ms after keepalived's priority 0 (skew %d ms, master_down"
                        + " %d ms)%n", e[0] - 70, ms, e[1], e[2]);
                assertThat(ms).isBetween(e[1] - 10L, e[1] + 150L);
            }
        } finally {
            stop.set(true);
            sock.shutdown();
            try {
                driver.get(5, TimeUnit.SECONDS);
            } finally {
                receiver.get(5, TimeUnit.SECONDS);
                sock.close();
            }
        }
    }

    static long advertsSince(Map<Integer, List<long[]>> m, int vrid, long since) {
        return m.getOrDefault(vrid, List.of()).stream().filter(x -> x[0] >= since).count();
    }

    static void perform(Node n, List<VrrpAction> actions, RawIpSocket sock) {
        for (VrrpAction a : actions) {
            if (a instanceof VrrpAction.SendAdvert s) {
                byte[] m = n.advert(s.priority()).encode(ME, GROUP, false);
                try {
                    sock.send(m, m.length, GROUP, 0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            } else if (a instanceof VrrpAction.StateChanged c) {
                n.changes().add(c);
                n.changeTimes().add(System.nanoTime());
            }
        }
    }
}
