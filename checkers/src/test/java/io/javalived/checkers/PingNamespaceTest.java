package io.javalived.checkers;

import io.javalived.inet.VirtualServerKey;
import io.javalived.inet.RealServerKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PING_CHECK against a host inside a network namespace this test creates (veth pair): up, down when the namespace
 * stops answering echo requests (icmp_echo_ignore_all), recovery; and a TCP connect into a blackholed namespace.
 */
class PingNamespaceTest {
    static final long N = ProcessHandle.current().pid() % 10000;
    static final String NS = "jvck" + N, HA = "jvckA" + N, HB = "jvckB" + N;
    static final int X = (int) (N % 250) + 1;
    static final String HOST_IP = "100.64." + X + ".1", NS_IP = "100.64." + X + ".2";

    static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }

    static void nsSh(String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        c.addAll(List.of(cmd));
        sh(c.toArray(new String[0]));
    }

    @BeforeAll
    static void createNamespace() throws Exception {
        cleanup();
        sh("ip", "netns", "add", NS);
        sh("ip", "link", "add", HA, "type", "veth", "peer", "name", HB);
        sh("ip", "link", "set", HB, "netns", NS);
        sh("ip", "addr", "add", HOST_IP + "/30", "dev", HA);
        sh("ip", "link", "set", HA, "up");
        nsSh("ip", "addr", "add", NS_IP + "/30", "dev", HB);
        nsSh("ip", "link", "set", HB, "up");
        nsSh("ip", "link", "set", "lo", "up");
    }

    @AfterAll
    static void cleanup() {
        try {
            sh("ip", "netns", "del", NS);
        } catch (Exception e) {
            // not there
        }
        try {
            sh("ip", "link", "del", HA);
        } catch (Exception e) {
            // gone with the namespace
        }
    }

    @Test
    void pingUpDownRecoveryThroughTheScheduler() throws Exception {
        BlockingQueue<Transition> ev = new LinkedBlockingQueue<>();
        try (CheckScheduler s = new CheckScheduler(new CheckScheduler.Options(1, 100, 1, 10))) {
            s.addListener(ev::add);
            InetAddress target = InetAddress.getByName(NS_IP);
            // retry 1, delay_before_retry 150 ms, delay_loop 200 ms, connect_timeout 200 ms
            CheckTiming t = CheckTiming.every(Duration.ofMillis(200)).withRetry(1, Duration.ofMillis(150));
            var h = s.register(new RealServerKey(VirtualServerKey.parse("[10.0.0.1]:tcp:80"), new InetSocketAddress(target, 80)),
                    List.of(new CheckScheduler.CheckSpec(new PingChecker(target, Duration.ofMillis(200)), t)));
            Thread.sleep(600);
            assertThat(ev).isEmpty();
            assertThat(h.lastResults().values()).containsExactly("ICMP connection to " + NS_IP + " success.");
            long t0 = System.nanoTime();
            nsSh("sysctl", "-q", "-w", "net.ipv4.icmp_echo_ignore_all=1");
            Transition d = ev.poll(5, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(d).isNotNull();
            assertThat(d.up()).isFalse();
            assertThat(d.reason()).isEqualTo(FailureClass.CONNECT_TIMEOUT);
            assertThat(d.text()).startsWith("ICMP connection to address " + NS_IP + " timeout.");
            // timeout 200 + retry 150 + timeout 200, plus up to one delay_loop before the first miss
            assertThat(ms).isBetween(500L, 2500L);
            nsSh("sysctl", "-q", "-w", "net.ipv4.icmp_echo_ignore_all=0");
            Transition u = ev.poll(5, TimeUnit.SECONDS);
            assertThat(u).isNotNull();
            assertThat(u.up()).isTrue();
        }
    }

    @Test
    void tcpConnectIntoABlackholeTimesOut() throws Exception {
        // replies from the namespace to us vanish: the SYN-ACK never comes back
        nsSh("ip", "route", "add", "blackhole", HOST_IP + "/32");
        try {
            var group = Transport.best().newGroup(1, "t");
            try {
                CheckContext ctx = new CheckContext(group.next(), Transport.best(), null, null);
                long t0 = System.nanoTime();
                CheckResult r = new TcpChecker(Endpoint.of(NS_IP, 80), Duration.ofMillis(300)).check(ctx).get(5, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.failure()).isEqualTo(FailureClass.CONNECT_TIMEOUT);
                assertThat(r.message()).isEqualTo("TCP connection to [" + NS_IP + "]:tcp:80 timeout.");
                assertThat(ms).isBetween(280L, 2000L);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        } finally {
            nsSh("ip", "route", "del", "blackhole", HOST_IP + "/32");
        }
    }
}
