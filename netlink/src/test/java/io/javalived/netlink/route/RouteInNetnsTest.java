package io.javalived.netlink.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.inet.Interfaces;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rtnetlink addresses and link notifications against the real kernel, in a private network namespace
 * ({@code jvvrPID}) entered by one worker thread with setns(2).
 */
class RouteInNetnsTest {
    private static final String NS = "jvvr" + ProcessHandle.current().pid() % 100000;
    private static ExecutorService inNs;

    @BeforeAll
    static void up() throws Exception {
        sh("ip netns add " + NS);
        sh("ip -n " + NS + " link add jva type veth peer name jvb");
        sh("ip -n " + NS + " link set jva up");
        sh("ip -n " + NS + " link set jvb up");
        inNs = Executors.newSingleThreadExecutor();
        inNs.submit(() -> {
            int fd = LibC.INSTANCE.open("/run/netns/" + NS, LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (fd < 0 || LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET) != 0) {
                throw new IllegalStateException("setns failed: errno " + LibC.errno());
            }
            LibC.INSTANCE.close(fd);
            return null;
        }).get();
    }

    @AfterAll
    static void down() throws Exception {
        if (inNs != null) {
            inNs.shutdownNow();
        }
        sh("ip netns del " + NS);
    }

    @Test
    void addsListsAndRemovesAddressesWithLabelBroadcastAndScope() throws Exception {
        inNs.submit(() -> {
            try (AddressManager am = new AddressManager()) {
                int idx = Interfaces.index("jva");
                InetAddress vip = InetAddress.getByName("10.99.0.100");
                assertThat(am.add(idx, vip, 24, InetAddress.getByName("10.99.0.255"), AddressManager.scope("global"),
                        "jva:vip", false)).isTrue();
                assertThat(am.add(idx, vip, 24, null, 0, null, false)).as("EEXIST is not an error").isFalse();
                String shown = sh("ip -n " + NS + " -4 addr show dev jva");
                assertThat(shown).contains("inet 10.99.0.100/24 brd 10.99.0.255 scope global jva:vip");
                InetAddress v6 = InetAddress.getByName("fd99::100");
                am.add(idx, v6, 64, null, AddressManager.scope("global"), null, false);
                String v6line = sh("ip -n " + NS + " -6 -o addr show dev jva").lines()
                        .filter(l -> l.contains("fd99::100/64")).findFirst().orElse("");
                assertThat(v6line).contains("fd99::100/64").doesNotContain("tentative");
                List<AddressManager.Address> l = am.list(idx, 0);
                assertThat(l).extracting(AddressManager.Address::address).contains(vip, v6);
                assertThat(am.remove(idx, vip, 24)).isTrue();
                assertThat(am.remove(idx, vip, 24)).isFalse();
                assertThat(am.remove(idx, v6, 64)).isTrue();
                assertThat(sh("ip -n " + NS + " addr show dev jva")).doesNotContain("10.99.0.100", "fd99::100");
                AddressManager.Address host = null;
                am.add(idx, InetAddress.getByName("10.99.1.1"), 32, null, AddressManager.scope("host"), null, false);
                for (AddressManager.Address a : am.list(idx, LibC.AF_INET)) {
                    if (a.address().getHostAddress().equals("10.99.1.1")) {
                        host = a;
                    }
                }
                assertThat(host).isNotNull();
                assertThat(host.scope()).isEqualTo(AddressManager.RT_SCOPE_HOST);
            }
            return null;
        }).get(20, TimeUnit.SECONDS);
    }

    @Test
    void refusedRequestsNameTheAddressTheInterfaceAndTheErrno() throws Exception {
        inNs.submit(() -> {
            try (AddressManager am = new AddressManager()) {
                InetAddress a = InetAddress.getByName("10.99.2.1");
                assertThatThrownBy(() -> am.add(99999, a, 24, null, 0, null, false))
                        .isInstanceOf(NativeException.class)
                        .hasMessageContaining("add address 10.99.2.1/24 on ifindex 99999")
                        .hasMessageContaining("ENODEV");
                assertThat(am.remove(99999, a, 24)).as("nothing to remove on a missing interface").isFalse();
                assertThat(am.list(99999, 0)).isEmpty();
            }
            return null;
        }).get(20, TimeUnit.SECONDS);
    }

    @Test
    void linkMonitorReportsNewAndRemovedLinksAndStopsOnClose() throws Exception {
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        LinkMonitor mon = inNs.submit(() -> {
            LinkMonitor m = new LinkMonitor();
            m.addListener((l, removed) -> seen.add(l.name() + (removed ? " removed" : " present")));
            m.start();
            return m;
        }).get();
        try {
            assertThat(mon.byName("jvc")).isNull();
            sh("ip -n " + NS + " link add jvc type veth peer name jvd");
            assertThat(poll(seen, "jvc present")).isTrue();
            assertThat(mon.byName("jvc")).isNotNull();
            sh("ip -n " + NS + " link del jvc");
            assertThat(poll(seen, "jvc removed")).isTrue();
            assertThat(mon.byName("jvc")).isNull();
        } finally {
            mon.close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("rtnl-link-monitor"));
    }

    @Test
    void linkMonitorReReadsLinksAfterLostNotifications() throws Exception {
        sh("ip -n " + NS + " link add jve type veth peer name jvf");
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        LinkMonitor mon = inNs.submit(() -> {
            LinkMonitor m = new LinkMonitor();
            m.addListener((l, removed) -> seen.add(l.name() + (removed ? " removed" : " present")));
            assertThat(m.setReceiveBufferSize(1)).isTrue(); // the kernel's minimum: a few messages
            return m;
        }).get();
        try {
            assertThat(mon.byName("jve")).isNotNull();
            StringBuilder burst = new StringBuilder("true");
            for (int mtu = 1400; mtu < 1440; mtu++) {
                burst.append("; ip -n ").append(NS).append(" link set jvb mtu ").append(mtu);
            }
            sh(burst.toString()); // nobody reads yet: the queue overflows
            sh("ip -n " + NS + " link del jve"); // this notification is lost
            mon.start();
            assertThat(poll(seen, "jve removed")).as("found by the re-read after ENOBUFS").isTrue();
            assertThat(mon.byName("jve")).isNull();
            assertThat(mon.byName("jvb")).isNotNull();
        } finally {
            mon.close();
            sh("ip -n " + NS + " link del jve 2>/dev/null || true");
        }
    }

    @Test
    void linkMonitorReportsCarrierLossAndRecovery() throws Exception {
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        LinkMonitor mon = inNs.submit(() -> {
            LinkMonitor m = new LinkMonitor();
            m.addListener((l, removed) -> seen.add(l.name() + (l.up() ? " up" : " down")));
            m.start();
            return m;
        }).get();
        try {
            assertThat(mon.byName("jva")).isNotNull();
            assertThat(mon.byName("jva").up()).isTrue();
            assertThat(Interfaces.formatMac(mon.byName("jva").hardwareAddress())).matches("..:..:..:..:..:..");
            sh("ip -n " + NS + " link set jvb down");
            assertThat(poll(seen, "jva down")).isTrue();
            assertThat(mon.byName("jva").up()).isFalse();
            sh("ip -n " + NS + " link set jvb up");
            assertThat(poll(seen, "jva up")).isTrue();
        } finally {
            mon.close();
        }
    }

    private static boolean poll(LinkedBlockingQueue<String> q, String want) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            String s = q.poll(100, TimeUnit.MILLISECONDS);
            if (want.equals(s)) {
                return true;
            }
        }
        return false;
    }

    static String sh(String cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("failed: " + cmd + "\n" + out);
        }
        return out;
    }
}
