package io.javalived.it.run;

import io.javalived.inet.VirtualServerKey;
import io.javalived.checkers.CheckScheduler;
import io.javalived.checkers.CheckTiming;
import io.javalived.checkers.Endpoint;
import io.javalived.inet.RealServerKey;
import io.javalived.checkers.TcpChecker;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.it.checkers.BenchServers;
import io.javalived.vrrp.runtime.VrrpDaemon;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What {@code javalived run} wires in one JVM, minus IPVS (absent on this host): a {@link VrrpDaemon} for the
 * config's vrrp_instance and a {@link CheckScheduler} with N TCP_CHECKs (delay_loop 1 s, connect_timeout 5 s, retry 1)
 * against {@link BenchServers} listeners 127.1.x.y:PORT. Prints {@code READY} once both run, then, when stdin
 * closes, {@code CHECKS <completed/s> <failed>} over the time since READY, and exits.
 *
 * <p>Usage: {@code VrrpUnderLoadNode CONF N PORT}
 */
public final class VrrpUnderLoadNode {
    public static void main(String[] args) throws Exception {
        Path conf = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int port = Integer.parseInt(args[2]);
        KeepalivedConfig cfg = KeepalivedConfigReader.read(Files.readString(conf), conf).config();
        try (VrrpDaemon vrrp = new VrrpDaemon(cfg);
                CheckScheduler checks = new CheckScheduler(new CheckScheduler.Options(2, 4096, 2, 100))) {
            vrrp.start();
            CheckTiming timing = CheckTiming.every(Duration.ofSeconds(1)).withRetry(1, Duration.ofSeconds(1));
            for (int i = 0; i < n; i++) {
                InetSocketAddress a = new InetSocketAddress(BenchServers.address(i), port);
                checks.register(new RealServerKey(VirtualServerKey.parse("[10.255.0.1]:tcp:80"), a),
                        List.of(new CheckScheduler.CheckSpec(new TcpChecker(new Endpoint(a, null, 0),
                                Duration.ofSeconds(5)), timing)));
            }
            Thread.sleep(n > 0 ? 3000 : 0); // first spread + JIT
            checks.resetStats();
            long t0 = System.nanoTime();
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until stdin closes
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            CheckScheduler.Stats st = checks.stats();
            System.out.println(String.format(Locale.ROOT, "CHECKS %.1f %d", st.completed() / secs, st.failed()));
            System.out.flush();
        }
    }
}
