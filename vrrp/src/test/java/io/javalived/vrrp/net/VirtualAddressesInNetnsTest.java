package io.javalived.vrrp.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.VirtualIpAddress;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.route.AddressManager;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VirtualAddresses} against the real kernel: node namespace {@code jvvtPIDa} (the VIPs' owner, entered by one
 * worker thread with setns) and peer namespace {@code jvvtPIDb} joined by a veth pair, both ends called eth0. The
 * peer accepts gratuitous ARP into its neighbour table (arp_accept 1, locktime 0), so the MAC it learns for a VIP shows
 * which announcement reached it.
 */
class VirtualAddressesInNetnsTest {
    private static final String TAG = "jvvt" + ProcessHandle.current().pid() % 100000;
    private static final String A = TAG + "a";
    private static final String B = TAG + "b";
    private static ExecutorService inA;
    private AddressManager am;

    @BeforeAll
    static void up() throws Exception {
        sh("ip netns add " + A);
        sh("ip netns add " + B);
        sh("ip netns exec " + B + " sysctl -qw net.ipv4.conf.all.arp_accept=1");
        link();
        inA = Executors.newSingleThreadExecutor();
        inA.submit(() -> {
            int fd = LibC.INSTANCE.open("/run/netns/" + A, LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (fd < 0 || LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET) != 0) {
                throw new IllegalStateException("setns failed: errno " + LibC.errno());
            }
            LibC.INSTANCE.close(fd);
            return null;
        }).get();
    }

    /** (Re)creates the veth pair eth0 (node) - eth0 (peer) with 10.78.0.1/24 and 10.78.0.2/24. */
    private static void link() throws IOException {
        sh("ip -n " + A + " link add eth0 type veth peer name eth0 netns " + B);
        sh("ip netns exec " + B + " sysctl -qw net.ipv4.neigh.eth0.locktime=0 net.ipv4.conf.eth0.arp_accept=1");
        sh("ip -n " + A + " addr add 10.78.0.1/24 dev eth0");
        sh("ip -n " + B + " addr add 10.78.0.2/24 dev eth0");
        sh("ip -n " + A + " link set eth0 up");
        sh("ip -n " + B + " link set eth0 up");
    }

    @AfterAll
    static void down() throws Exception {
        if (inA != null) {
            inA.shutdownNow();
        }
        out("ip netns del " + A);
        out("ip netns del " + B);
    }

    @BeforeEach
    void open() throws Exception {
        am = inA(AddressManager::new);
        out("ip -n " + B + " neigh flush dev eth0");
    }

    @AfterEach
    void close() throws Exception {
        am.close();
        for (String vip : new String[] {"10.78.0.100/24", "10.78.0.101/24"}) {
            out("ip -n " + A + " addr del " + vip + " dev eth0 2>/dev/null");
        }
    }

    private static VirtualIpAddress vip(String addr, String dev) throws IOException {
        return new VirtualIpAddress(InetAddress.getByName(addr), 24, Optional.empty(), Optional.ofNullable(dev),
                Optional.empty(), Optional.empty(), Optional.empty(), false, false, false);
    }

    @Test
    void addsEachVipAndAnnouncesItThePeerLearnsTheOwnersMac() throws Exception {
        VirtualAddresses va = new VirtualAddresses("VI_T", "eth0",
                List.of(vip("10.78.0.100", null), vip("10.78.0.101", null)), List.of(), am);
        inA(() -> {
            va.prepare();
            va.warmUp();
            va.addAllAndAnnounce();
            return null;
        });
        assertThat(out("ip -n " + A + " -4 addr show dev eth0")).contains("10.78.0.100/24", "10.78.0.101/24");
        String mac = mac(A);
        assertThat(neighbour("10.78.0.100")).isEqualTo(mac);
        assertThat(neighbour("10.78.0.101")).isEqualTo(mac);
        inA(() -> {
            va.addAllAndAnnounce(); // already there (EEXIST): still fine, announced again
            va.removeAll();
            va.close();
            return null;
        });
        assertThat(out("ip -n " + A + " -4 addr show dev eth0")).doesNotContain("10.78.0.100", "10.78.0.101");
    }

    @Test
    void aVipWhoseInterfaceIsMissingDoesNotStopTheOthers() throws Exception {
        VirtualAddresses va = new VirtualAddresses("VI_T", "eth0",
                List.of(vip("10.78.0.100", "jvnosuch0"), vip("10.78.0.101", null)), List.of(), am);
        inA(() -> {
            va.prepare(); // logs the missing interface
            va.addAllAndAnnounce();
            return null;
        });
        assertThat(out("ip -n " + A + " -4 addr show")).contains("10.78.0.101/24").doesNotContain("10.78.0.100");
        assertThat(neighbour("10.78.0.101")).isEqualTo(mac(A));
        assertThat(neighbour("10.78.0.100")).as("no announcement for an address that was not added").isEmpty();
        inA(() -> {
            va.close();
            return null;
        });
    }

    @Test
    void aRecreatedInterfaceIsResolvedAgainAndAChangedMacIsAnnounced() throws Exception {
        VirtualAddresses va = new VirtualAddresses("VI_T", "eth0", List.of(vip("10.78.0.100", null)), List.of(), am);
        inA(() -> {
            va.prepare();
            return null;
        });
        // the interface goes away and comes back under a new index (and MAC) after the VIPs were prepared
        sh("ip -n " + A + " link del eth0");
        link();
        inA(() -> {
            va.addAllAndAnnounce();
            return null;
        });
        assertThat(out("ip -n " + A + " -4 addr show dev eth0")).contains("10.78.0.100/24");
        assertThat(neighbour("10.78.0.100")).as("announced with the new interface's MAC").isEqualTo(mac(A));

        // same interface, new MAC: linkChanged prepares the frames again
        sh("ip -n " + A + " link set eth0 address 02:4a:56:00:00:07");
        inA(() -> {
            va.linkChanged("eth0");
            va.announceAll();
            return null;
        });
        assertThat(neighbour("10.78.0.100")).isEqualTo("02:4a:56:00:00:07");
        inA(() -> {
            va.removeAll();
            va.close();
            return null;
        });
    }

    private static <T> T inA(Callable<T> c) throws Exception {
        return inA.submit(c).get(20, TimeUnit.SECONDS);
    }

    private static String mac(String ns) throws IOException {
        return out("ip netns exec " + ns + " cat /sys/class/net/eth0/address").trim();
    }

    /** The MAC the peer has for {@code ip} (waits up to 2 s for it to appear), or "". */
    private static String neighbour(String ip) throws Exception {
        for (int i = 0; i < 40; i++) {
            String l = out("ip -n " + B + " neigh show " + ip + " dev eth0");
            int at = l.indexOf("lladdr ");
            if (at >= 0) {
                return l.substring(at + 7).split("\\s+")[0];
            }
            Thread.sleep(50);
        }
        return "";
    }

    private static String sh(String cmd) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("command failed: " + cmd + "\n" + o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd);
        }
        return o;
    }

    private static String out(String cmd) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return o;
    }
}
