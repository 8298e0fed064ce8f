package io.javalived.checkers;

import io.javalived.inet.VirtualServerKey;
import io.javalived.inet.RealServerKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against real listeners: transitions, retry / delay_before_retry / rise / fall timing, recovery. */
class SchedulerLiveTest {
    CheckScheduler sched;
    final BlockingQueue<Transition> events = new LinkedBlockingQueue<>();
    final BlockingQueue<String> weights = new LinkedBlockingQueue<>();
    final BlockingQueue<String> checkerChanges = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        sched = new CheckScheduler(new CheckScheduler.Options(2, 1000, 2, 100));
        sched.addListener(new CheckerListener() {
            @Override
            public void onTransition(Transition t) {
                events.add(t);
            }

            @Override
            public void onWeight(RealServerKey rs, String checker, int w) {
                weights.add(rs.virtualServer() + "=" + w);
            }

            @Override
            public void onCheckerChange(RealServerKey rs, String checker, boolean up, FailureClass reason) {
                checkerChanges.add(checker.split(" ")[0] + (up ? " up" : " down " + reason));
            }
        });
    }

    @AfterEach
    void stop() {
        sched.close();
    }

    /** A TCP listener on a fixed address:port that can be stopped and started again. */
    static final class Toggle implements AutoCloseable {
        final InetSocketAddress addr;
        volatile ServerSocket ss;

        Toggle(String ip) throws IOException {
            ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(ip, 0), 100);
            addr = new InetSocketAddress(ip, ss.getLocalPort());
            acceptLoop(ss);
        }

        private static void acceptLoop(ServerSocket s) {
            Thread t = new Thread(() -> {
                try {
                    while (true) s.accept().close();
                } catch (IOException e) {
                    // closed
                }
            }, "toggle");
            t.setDaemon(true);
            t.start();
        }

        void down() throws IOException {
            ss.close();
        }

        void up() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(addr, 100);
            ss = s;
            acceptLoop(s);
        }

        @Override
        public void close() throws IOException {
            ss.close();
        }
    }

    Transition next(long ms) throws InterruptedException {
        return events.poll(ms, TimeUnit.MILLISECONDS);
    }

    static CheckScheduler.CheckSpec tcp(InetSocketAddress a, CheckTiming t) {
        return new CheckScheduler.CheckSpec(new TcpChecker(new Endpoint(a, null, 0), Duration.ofMillis(300)), t);
    }

    /**
     * Below javalived.checkers.loopChecksPerSecond (2,000) every probe shares the first loop (one thread, as
     * keepalived's checker); above, probes go to the least loaded loop, so 10,000 checks/s end up 5,000 per loop.
     */
    @Test
    void probesShareOneLoopUntilItIsFull() throws Exception {
        double[] two = new double[2];
        for (int i = 0; i < 1000; i++) two[CheckScheduler.chooseLoop(two, 1.0, 2000)] += 1.0;
        assertThat(two).containsExactly(1000.0, 0.0);
        for (int i = 0; i < 9000; i++) two[CheckScheduler.chooseLoop(two, 1.0, 2000)] += 1.0;
        assertThat(two).containsExactly(5000.0, 5000.0);
        assertThat(CheckScheduler.chooseLoop(new double[] {2000, 10}, 5, 2000)).isEqualTo(1);
        assertThat(CheckScheduler.chooseLoop(new double[] {2500, 2600, 2400}, 5, 2000)).isEqualTo(2);
        assertThat(CheckScheduler.ratePerSecond(CheckTiming.every(Duration.ofMillis(500)))).isEqualTo(2.0);

        try (Toggle srv = new Toggle("127.0.0.72")) {
            CheckTiming t = CheckTiming.every(Duration.ofSeconds(1));
            List<CheckScheduler.RealServerHandle> hs = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) { // 50 checks/s: one loop
                RealServerKey id = new RealServerKey(VirtualServerKey.parse("[10.0.0.1]:tcp:" + (1000 + i)), srv.addr);
                hs.add(sched.register(id, List.of(new CheckScheduler.CheckSpec( // distinct checkers: distinct probes
                        new TcpChecker(new Endpoint(srv.addr, null, 0), Duration.ofMillis(300 + i)), t))));
            }
            assertThat(sched.loopsInUse()).isEqualTo(1);
            // 2,100 checks/s more (3 probes of 700/s): the first loop is full, the second one takes the rest
            for (int i = 0; i < 3; i++) {
                RealServerKey id = new RealServerKey(VirtualServerKey.parse("[10.0.0.2]:tcp:" + (1000 + i)), srv.addr);
                hs.add(sched.register(id, List.of(new CheckScheduler.CheckSpec(new TcpChecker(
                        new Endpoint(srv.addr, null, 0), Duration.ofMillis(400 + i)),
                        CheckTiming.every(Duration.ofNanos(1_000_000_000L / 700)).withWarmup(Duration.ofMinutes(10))))));
            }
            assertThat(sched.loopsInUse()).isEqualTo(2);
            hs.forEach(CheckScheduler.RealServerHandle::close);
            assertThat(sched.loopsInUse()).isEqualTo(0);
        }
    }

    @Test
    void retryThenDownThenRecoveryWithKeepalivedTiming() throws Exception {
        try (Toggle srv = new Toggle("127.0.0.71")) {
            // delay_loop 300 ms, retry 2, delay_before_retry 200 ms
            CheckTiming t = CheckTiming.every(Duration.ofMillis(300)).withRetry(2, Duration.ofMillis(200));
            RealServerKey id = new RealServerKey(VirtualServerKey.parse("[10.0.0.1]:tcp:80"), srv.addr);
            CheckScheduler.RealServerHandle h = sched.register(id, List.of(tcp(srv.addr, t)));
            assertThat(h.isUp()).isTrue();
            Thread.sleep(700);
            assertThat(events).isEmpty(); // healthy: no transition
            long t0 = System.nanoTime();
            srv.down();
            Transition d = next(3000);
            long downMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(d).isNotNull();
            assertThat(d.up()).isFalse();
            assertThat(d.realServer()).isEqualTo(id);
            assertThat(d.reason()).isEqualTo(FailureClass.CONNECTION_REFUSED);
            assertThat(d.checker()).isEqualTo("TCP_CHECK [127.0.0.71]:tcp:" + srv.addr.getPort());
            assertThat(d.text()).startsWith("TCP connection to [127.0.0.71]:tcp:" + srv.addr.getPort() + " failed.");
            // first failure within one delay_loop, then 2 retries 200 ms apart: 400..(300+400+slack)
            assertThat(downMs).isBetween(380L, 1300L);
            assertThat(h.isUp()).isFalse();
            long t1 = System.nanoTime();
            srv.up();
            Transition u = next(3000);
            long upMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(u).isNotNull();
            assertThat(u.up()).isTrue();
            assertThat(u.reason()).isNull();
            // down state: retries every 200 ms, so recovery comes within ~ one delay_loop + slack
            assertThat(upMs).isLessThan(900L);
            assertThat(h.isUp()).isTrue();
        }
    }

    @Test
    void riseAndFallTiming() throws Exception {
        try (Toggle srv = new Toggle("127.0.0.72")) {
            // retry 0, delay_loop 150 ms, fall 3, rise 2
            CheckTiming t = CheckTiming.every(Duration.ofMillis(150)).withRetry(0, Duration.ofMillis(150)).withRiseFall(2, 3);
            sched.register(new RealServerKey(VirtualServerKey.fwmark(1, false), srv.addr), List.of(tcp(srv.addr, t)));
            Thread.sleep(400);
            long t0 = System.nanoTime();
            srv.down();
            Transition d = next(3000);
            long downMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(d.up()).isFalse();
            // 3 failed checks 150 ms apart: >= 300 ms (the first may come at once), < 3*150 + slack
            assertThat(downMs).isBetween(290L, 1100L);
            long t1 = System.nanoTime();
            srv.up();
            Transition u = next(3000);
            long upMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(u.up()).isTrue();
            // 2 good checks 150 ms apart
            assertThat(upMs).isBetween(140L, 900L);
        }
    }

    @Test
    void alphaStartsDownAndComesUp() throws Exception {
        try (Toggle srv = new Toggle("127.0.0.73")) {
            CheckTiming t = CheckTiming.every(Duration.ofMillis(200)).withAlpha(true);
            CheckScheduler.RealServerHandle h = sched.register(new RealServerKey(VirtualServerKey.fwmark(1, false), srv.addr), List.of(tcp(srv.addr, t)));
            assertThat(h.isUp()).isFalse();
            Transition u = next(2000);
            assertThat(u.up()).isTrue();
            assertThat(h.isUp()).isTrue();
        }
    }

    @Test
    void warmupSpreadsTheFirstCheckAndAlphaStaysDownWhileDown() throws Exception {
        int closed = TestServers.closedPort(InetAddress.getByName("127.0.0.74"));
        InetSocketAddress a = new InetSocketAddress("127.0.0.74", closed);
        CheckTiming t = CheckTiming.every(Duration.ofMillis(200)).withRetry(0, Duration.ofMillis(100))
                .withWarmup(Duration.ofMillis(300)).withAlpha(true);
        CheckScheduler.RealServerHandle h = sched.register(new RealServerKey(VirtualServerKey.fwmark(1, false), a), List.of(tcp(a, t)));
        Thread.sleep(800);
        assertThat(events).isEmpty(); // alpha + failing: no transition, still down
        assertThat(h.isUp()).isFalse();
        assertThat(sched.stats().started()).isBetween(2L, 8L);
    }

    @Test
    void allCheckersMustPassAndTheFailingOneIsNamed() throws Exception {
        try (Toggle srv = new Toggle("127.0.0.75");
             TestServers.Web web = new TestServers.Web(InetAddress.getByName("127.0.0.75"), null)) {
            CheckTiming t = CheckTiming.every(Duration.ofMillis(150)).withRetry(0, Duration.ofMillis(100));
            InetSocketAddress wa = new InetSocketAddress("127.0.0.75", web.port());
            HttpGetChecker http = HttpGetChecker.simple(new Endpoint(wa, null, 0), Duration.ofMillis(3000), false,
                    HttpGetChecker.Url.of("/health"));
            RealServerKey id = new RealServerKey(VirtualServerKey.parse("[10.0.0.1]:tcp:80"), wa);
            CheckScheduler.RealServerHandle h = sched.register(id,
                    List.of(tcp(srv.addr, t), new CheckScheduler.CheckSpec(http, t)));
            Thread.sleep(400);
            assertThat(events).isEmpty();
            web.status.set(503);
            Transition d = next(5000); // 3 s read timeout: a web server slowed by a loaded machine still answers
            assertThat(d.up()).isFalse();
            assertThat(d.checker()).startsWith("HTTP_GET [127.0.0.75]:tcp:");
            assertThat(d.reason()).isEqualTo(FailureClass.HTTP_STATUS);
            assertThat(d.text()).contains("status_code [503]");
            // the second checker fails too (before the first recovers, whatever the load: the next step waits for
            // its change): still one down, no new transition ...
            srv.down();
            List<String> changes = new java.util.ArrayList<>();
            changes.add(checkerChanges.poll(2000, java.util.concurrent.TimeUnit.MILLISECONDS));
            web.status.set(200);
            // ... but each checker's own change is reported (keepalived mails it unless no_checker_emails)
            changes.add(checkerChanges.poll(2000, java.util.concurrent.TimeUnit.MILLISECONDS));
            assertThat(changes).containsExactly("TCP_CHECK down CONNECTION_REFUSED", "HTTP_GET up");
            assertThat(next(300)).isNull();
            assertThat(h.isUp()).isFalse();
            srv.up();
            Transition u = next(2000);
            assertThat(u.up()).isTrue();
            assertThat(checkerChanges).as("the last change is the real server's own transition").isEmpty();
            assertThat(h.lastResults()).hasSize(2);
        }
    }

    @Test
    void sameBackendAndCheckUnderTwoVirtualServersShareOneProbe() throws Exception {
        try (Toggle srv = new Toggle("127.0.0.76")) {
            CheckTiming t = CheckTiming.every(Duration.ofMillis(150)).withRetry(0, Duration.ofMillis(100));
            var h1 = sched.register(new RealServerKey(VirtualServerKey.parse("[10.0.0.1]:tcp:80"), srv.addr), List.of(tcp(srv.addr, t)));
            var h2 = sched.register(new RealServerKey(VirtualServerKey.parse("[10.0.0.2]:tcp:80"), srv.addr), List.of(tcp(srv.addr, t)));
            assertThat(sched.stats().probes()).isEqualTo(1);
            long t0 = System.nanoTime();
            Thread.sleep(500);
            long started = sched.stats().started();
            long ms = (System.nanoTime() - t0) / 1_000_000; // a loaded machine oversleeps
            assertThat(started).isBetween(2L, ms / 150 + 2); // one probe's worth, not two
            srv.down();
            Transition a = next(2000), b = next(2000);
            assertThat(List.of(a.realServer().virtualServer().toString(), b.realServer().virtualServer().toString()))
                    .containsExactlyInAnyOrder("[10.0.0.1]:tcp:80", "[10.0.0.2]:tcp:80");
            h1.close();
            assertThat(sched.stats().probes()).isEqualTo(1);
            h2.close();
            assertThat(sched.stats().probes()).isZero();
        }
    }

    @Test
    void miscDynamicWeightIsPublished() throws Exception {
        CheckTiming t = CheckTiming.every(Duration.ofMillis(200));
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 80);
        sched.register(new RealServerKey(VirtualServerKey.fwmark(2, false), a), List.of(new CheckScheduler.CheckSpec(
                new MiscChecker("/bin/sh -c 'exit 7'", Duration.ofSeconds(2), true, null, null, "x"), t)));
        assertThat(weights.poll(3, TimeUnit.SECONDS)).isEqualTo(VirtualServerKey.fwmark(2, false) + "=5");
    }

    @Test
    void inFlightIsBounded() throws Exception {
        sched.close();
        sched = new CheckScheduler(new CheckScheduler.Options(1, 2, 2, 100));
        try (TestServers.Mute m = new TestServers.Mute(InetAddress.getByName("127.0.0.1"))) {
            // 6 HTTP checks that each hang 400 ms on a mute server, 2 at a time at most
            CheckTiming t = CheckTiming.every(Duration.ofMillis(50)).withRetry(0, Duration.ofMillis(50));
            for (int i = 0; i < 6; i++) {
                InetSocketAddress a = new InetSocketAddress("127.0.0.1", m.port());
                HttpGetChecker c = HttpGetChecker.simple(new Endpoint(a, null, 0), Duration.ofMillis(400), false,
                        HttpGetChecker.Url.of("/" + i));
                sched.register(new RealServerKey(VirtualServerKey.fwmark(i + 1, false), a), List.of(new CheckScheduler.CheckSpec(c, t)));
            }
            int max = 0;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(50);
                max = Math.max(max, sched.stats().inFlight());
                assertThat(m.held.size()).isLessThanOrEqualTo(2 + (int) sched.stats().completed());
            }
            assertThat(max).isEqualTo(2);
            assertThat(sched.stats().waiting()).isGreaterThan(0);
        }
    }
}
