package io.javalived.it.checkers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link CheckerBenchmark} in a JVM of its own with -Xmx256m (the target) and ulimit -n 65536.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -o -q install -pl netlink,config,checkers -DskipTests   # if not installed yet
 * mvn -B -o test -pl integration-tests -Dtest=CheckerBenchmarkTest -DexcludedGroups= -Dgroups=benchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.duration=60] [-Dbench.tcp=1000,5000,10000] [-Dbench.http=1000]
 * </pre>
 *
 * Figures go to stdout and integration-tests/target/checker-benchmark.txt. A quick run: -Dbench.duration=10.
 *
 * <p>Without Maven (what the figures in the checkers report were measured with; avoids sharing target/ with
 * concurrent builds): put netty 4.2.18 (linux-x86_64 natives), jnr-ffi, the checkers/netlink/config classes and these
 * two classes on CP, then
 * {@code ulimit -n 20000; java -Xmx256m -cp $CP io.javalived.it.checkers.CheckerBenchmark --tcp 1000,5000,10000
 * --http 1000 --duration 60}. The real-server JVM holds one descriptor per listener (10,000) and the checking JVM a
 * few per check in flight: ulimit -n must exceed N + 1,000 in both; this test raises it to 65536 or the hard limit.
 */
@Tag("benchmark")
class CheckerBenchmarkTest {
    @Test
    void benchmark() throws Exception {
        Path out = Path.of("target", "checker-benchmark.txt").toAbsolutePath();
        Files.createDirectories(out.getParent());
        List<String> cmd = new ArrayList<>(List.of(CheckerBenchmark.javaBin(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), CheckerBenchmark.class.getName(),
                "--tcp", System.getProperty("bench.tcp", "1000,5000,10000"),
                "--http", System.getProperty("bench.http", "1000"),
                "--duration", System.getProperty("bench.duration", "60"),
                "--io-threads", System.getProperty("bench.threads", "2"),
                "--out", out.toString()));
        // raise the descriptor limit for the checking JVM (and the server JVMs it starts)
        String line = String.join(" ", cmd.stream().map(s -> "'" + s.replace("'", "'\\''") + "'").toList());
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec " + line)
                .inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readAllLines(out)).hasSizeGreaterThan(1);
    }
}
