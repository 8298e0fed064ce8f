package io.javalived.it.checkers;

import io.javalived.inet.VirtualServerKey;
import io.javalived.checkers.CheckScheduler;
import io.javalived.checkers.CheckTiming;
import io.javalived.checkers.Endpoint;
import io.javalived.checkers.HttpGetChecker;
import io.javalived.inet.RealServerKey;
import io.javalived.checkers.TcpChecker;
import io.javalived.checkers.Checker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checker benchmark: N real servers (listeners on 127.1.x.y, in a separate JVM) checked every delay_loop by one
 * {@link CheckScheduler}; reports checks/s achieved vs scheduled, start lateness p50/p99, CPU seconds per 1,000
 * checks, heap and RSS of this (the checking) JVM.
 *
 * <p>Run: {@code java -Xmx256m -cp CLASSPATH io.javalived.it.checkers.CheckerBenchmark [--tcp 1000,5000,10000]
 * [--http 1000] [--duration 60] [--delay-loop-ms 1000] [--io-threads 2]} — or via Maven, see
 * {@link CheckerBenchmarkTest}. Needs ulimit -n above the largest N + 1,000 in both JVMs (the test raises it).
 */
public final class CheckerBenchmark {
    public record Result(String kind, int servers, double scheduledPerSec, double achievedPerSec, long failed,
                         double p50ms, double p99ms, double cpuPer1000, double cores, long heapUsedMb,
                         long heapPeakMb, long heapMaxMb, long rssMb, long hwmMb, String transport, double userCores,
                         double sysCores) {
        String line() {
            return String.format(Locale.ROOT,
                    "%-8s %6d servers | checks/s scheduled %7.1f achieved %7.1f (%5.1f%%) failed %d | lateness p50 %6.2f ms"
                            + " p99 %7.2f ms | CPU %.3f s/1000 checks = %.3f cores | heap used %d MB peak %d MB max %d MB"
                            + " | RSS %d MB (HWM %d MB) | user %.3f + sys %.3f cores | %s",
                    kind, servers, scheduledPerSec, achievedPerSec, 100 * achievedPerSec / scheduledPerSec, failed, p50ms,
                    p99ms, cpuPer1000, cores, heapUsedMb, heapPeakMb, heapMaxMb, rssMb, hwmMb, userCores, sysCores, transport);
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> tcp = List.of(1000, 5000, 10000);
        List<Integer> http = List.of(1000);
        int duration = 60, delayMs = 1000, ioThreads = 2;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tcp" -> tcp = ints(args[++i]);
                case "--http" -> http = ints(args[++i]);
                case "--duration" -> duration = Integer.parseInt(args[++i]);
                case "--delay-loop-ms" -> delayMs = Integer.parseInt(args[++i]);
                case "--io-threads" -> ioThreads = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("# javalived checker benchmark: " + Runtime.getRuntime().availableProcessors() + " CPUs, load "
                + Files.readString(Path.of("/proc/loadavg")).trim() + ", duration " + duration + " s, delay_loop "
                + delayMs + " ms, io threads " + ioThreads + ", -Xmx " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.println(lines.get(0));
        for (int n : tcp) report(lines, run("TCP", n, duration, delayMs, ioThreads), out);
        for (int n : http) report(lines, run("HTTP_GET", n, duration, delayMs, ioThreads), out);
    }

    private static void report(List<String> lines, Result r, Path out) throws Exception {
        lines.add(r.line());
        System.out.println(r.line());
        if (out != null) Files.write(out, lines);
    }

    static List<Integer> ints(String s) {
        if (s.isBlank() || s.equals("none")) return List.of();
        return java.util.Arrays.stream(s.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    public static Result run(String kind, int n, int durationSec, int delayMs, int ioThreads) throws Exception {
        int port = 8080;
        boolean isHttp = kind.equals("HTTP_GET");
        Process servers = new ProcessBuilder(javaBin(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BenchServers.class.getName(), String.valueOf(n), isHttp ? "http" : "tcp", String.valueOf(port))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(servers.getInputStream()));
            String ready = r.readLine();
            if (ready == null || !ready.startsWith("READY")) throw new IllegalStateException("servers did not start: " + ready);
            AtomicInteger transitions = new AtomicInteger();
            try (CheckScheduler s = new CheckScheduler(new CheckScheduler.Options(ioThreads, 4096, 2, 100))) {
                s.addListener(t -> transitions.incrementAndGet());
                CheckTiming timing = CheckTiming.every(Duration.ofMillis(delayMs)).withRetry(1, Duration.ofSeconds(1));
                for (int i = 0; i < n; i++) {
                    InetSocketAddress a = new InetSocketAddress(BenchServers.address(i), port);
                    Endpoint ep = new Endpoint(a, null, 0);
                    Checker c = isHttp
                            ? HttpGetChecker.simple(ep, Duration.ofSeconds(5), false, HttpGetChecker.Url.of("/health"))
                            : new TcpChecker(ep, Duration.ofSeconds(5));
                    s.register(new RealServerKey(VirtualServerKey.parse("[10.255.0.1]:tcp:80"), a), List.of(new CheckScheduler.CheckSpec(c, timing)));
                }
                // warm up: first spread + JIT
                Thread.sleep(Math.max(3000, 3L * delayMs));
                System.gc();
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
                s.resetStats();
                long[] us0 = userSys();
                long cpu0 = cpuNanos(), t0 = System.nanoTime();
                Thread.sleep(durationSec * 1000L);
                long cpu1 = cpuNanos(), t1 = System.nanoTime();
                long[] us1 = userSys();
                CheckScheduler.Stats st = s.stats();
                double secs = (t1 - t0) / 1e9;
                double cpu = (cpu1 - cpu0) / 1e9;
                long peak = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
                    if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
                var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                return new Result(kind, n, n * 1000.0 / delayMs, st.completed() / secs, st.failed(),
                        st.latenessP50Nanos() / 1e6, st.latenessP99Nanos() / 1e6, cpu / Math.max(1, st.completed()) * 1000,
                        cpu / secs, heap.getUsed() >> 20, peak >> 20, heap.getMax() >> 20, status("VmRSS"), status("VmHWM"),
                        s.transportName(), (us1[0] - us0[0]) / 100.0 / secs, (us1[1] - us0[1]) / 100.0 / secs);
            }
        } finally {
            servers.getOutputStream().close();
            servers.destroy();
            servers.waitFor();
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime and stime of this process in clock ticks (USER_HZ = 100 on Linux). */
    static long[] userSys() throws Exception {
        String st = Files.readString(Path.of("/proc/self/stat"));
        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /** A /proc/self/status field in MB. */
    static long status(String field) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status")))
            if (l.startsWith(field + ":")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        return -1;
    }
}
