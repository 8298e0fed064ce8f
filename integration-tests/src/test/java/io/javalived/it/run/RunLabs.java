package io.javalived.it.run;

import io.javalived.it.vrrp.VrrpLab;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmarks that start the real {@code javalived run} (by the launcher) in a {@link VrrpLab} share: the
 * start inside node 1 with the descriptor limit raised, the status socket's count of real servers up, adverts read
 * back from a pcap, a process's memory, a log's tail.
 */
final class RunLabs {
    private RunLabs() {
    }

    /** CMD in node 1's namespace with the descriptor limit raised, stderr (and stdout when no env) to LOG. */
    static Process inNs(VrrpLab lab, List<String> cmd, Path log, String env) throws IOException {
        StringBuilder sb = new StringBuilder("ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec ")
                .append(env.isEmpty() ? "" : "env " + env + " ").append("ip netns exec ").append(lab.ns(1));
        for (String s : cmd) {
            sb.append(" '").append(s.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", sb.toString());
        if (env.isEmpty()) {
            pb.redirectError(log.toFile());
        } else {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        return pb.start();
    }

    /** The launcher's environment: JAVALIVED_JAR and, unless empty, JAVALIVED_JAVA_OPTS. */
    static String launcherEnv(String jar, String javaOpts) {
        return "JAVALIVED_JAR='" + jar + "'" + (javaOpts.isEmpty() ? "" : " JAVALIVED_JAVA_OPTS='" + javaOpts + "'");
    }

    /** Real servers whose health is UP in the status socket's answer (0 when it does not answer). */
    static int realServersUp(Path sock) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII)));
            String s = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            return count(s, "\"health\": \"UP\"");
        } catch (IOException e) {
            return 0;
        }
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static final Pattern ADVERT = Pattern.compile("^(\\d+\\.\\d+) IP 10\\.77\\.0\\.(\\d) > .*VRRPv3, Advertisement");

    /** {pcap time in s, node} of each VRRPv3 advert of the lab's nodes in PCAP. */
    static List<double[]> adverts(Path pcap) throws IOException {
        Process p = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-tt", "-nn")
                .redirectError(new File("/dev/null")).start();
        List<double[]> out = new ArrayList<>();
        for (String l : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
            Matcher m = ADVERT.matcher(l);
            if (m.find()) {
                out.add(new double[] {Double.parseDouble(m.group(1)), Integer.parseInt(m.group(2))});
            }
        }
        return out;
    }

    /** Gaps in ms between consecutive adverts of NODE whose later advert is at or after FROM (epoch s). */
    static List<Double> gaps(List<double[]> adverts, int node, double from) {
        List<Double> gaps = new ArrayList<>();
        double prev = -1;
        for (double[] a : adverts) {
            if (a[1] != node) {
                continue;
            }
            if (prev >= 0 && a[0] >= from) {
                gaps.add((a[0] - prev) * 1000);
            }
            prev = a[0];
        }
        return gaps;
    }

    /** tcpdump of VRRP (protocol 112) on IFACE in namespace NS into PCAP; FILTER is appended when not empty. */
    static Process tcpdump(String ns, String iface, Path pcap, String filter) throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", ns, "tcpdump", "-i", iface, "-nn", "-U", "-w", pcap.toString(),
                "proto 112" + (filter.isEmpty() ? "" : " and " + filter))
                .redirectErrorStream(true).redirectOutput(new File(pcap + ".log")).start();
    }

    /** {VmRSS kB, Pss kB} of the process. */
    static long[] memory(long pid) {
        long rss = 0;
        long pss = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                String[] w = l.trim().split("\\s+");
                if (w[0].equals("Rss:")) {
                    rss = Long.parseLong(w[1]);
                } else if (w[0].equals("Pss:")) {
                    pss = Long.parseLong(w[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return new long[] {rss, pss};
    }

    static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join("\n", l.subList(Math.max(0, l.size() - 30), l.size()));
        } catch (IOException e) {
            return "";
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
