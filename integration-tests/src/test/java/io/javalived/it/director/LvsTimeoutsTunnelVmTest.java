package io.javalived.it.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.checkers.CheckScheduler;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.director.Director;
import io.javalived.ipvs.IpvsClient;
import io.javalived.it.lab.StarLab;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * lvs_timeouts and TUN encapsulations against the real kernel (inside the IPVS VM), read back with ipvsadm: the
 * timeouts are set at start (values not given: the kernel's before javalived changed them), follow a reload, come back
 * when a reload removes them and at stop; real servers with {@code TUN type gue port N csum}, {@code type gre} and
 * plain TUN show their tunnel in {@code ipvsadm -Ln --tun-info}, and a reload that changes one edits it in place.
 */
@Tag("vm")
class LvsTimeoutsTunnelVmTest {
    static final String VIP = "10.78.0.100";

    static String conf(String globalDefs, String rs1Method) {
        return """
                global_defs {
                %s
                }
                virtual_server 10.78.0.100 80 {
                  lb_algo rr
                  lb_kind TUN type gue port 6080 csum
                  protocol TCP
                  real_server 10.78.1.2 80 {
                %s
                  }
                  real_server 10.78.1.3 80 {
                    lvs_method TUN type gre
                  }
                  real_server 10.78.1.4 80 {
                    lvs_method TUN
                  }
                }
                """.formatted(globalDefs, rs1Method);
    }

    static KeepalivedConfig read(String text) throws Exception {
        return KeepalivedConfigReader.read(text, Path.of("timeouts-tunnel-vm.conf")).config();
    }

    /** "Timeout (tcp tcpfin udp): 900 120 300" → "900 120 300". */
    static String timeouts() throws Exception {
        String out = StarLab.sh("ipvsadm -L --timeout").trim();
        return out.substring(out.indexOf(':') + 1).trim();
    }

    /** The destinations of the VIP as "address:port forward tunnelinfo" from ipvsadm -Ln --tun-info. */
    static List<String> tunnels() throws Exception {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : StarLab.sh("ipvsadm -Ln --tun-info -t " + VIP + ":80").split("\n")) {
            String t = line.trim();
            if (t.startsWith("TCP")) {
                in = t.contains(VIP + ":80");
            } else if (in && t.startsWith("->") && !t.contains("RemoteAddress")) {
                String[] f = t.substring(2).trim().split("\\s+");
                out.add(f[0] + " " + f[1] + " " + f[2]);
            }
        }
        return out;
    }

    @Test
    void timeoutsFollowStartReloadAndStopAndTunnelsAreProgrammed() throws Exception {
        String before = timeouts();
        StarLab.sh("ipvsadm -D -t " + VIP + ":80 2>/dev/null; ipvsadm --set 800 100 200");
        try (IpvsClient ipvs = IpvsClient.open(); CheckScheduler checks = new CheckScheduler()) {
            Director d = Director.start(read(conf("  lvs_timeouts tcp 7200 udp 60", "")), ipvs, checks);
            try {
                assertThat(timeouts()).as("tcpfin not given: the kernel's").isEqualTo("7200 100 60");
                assertThat(tunnels()).containsExactlyInAnyOrder("10.78.1.2:80 Tunnel gue:6080:+c",
                        "10.78.1.3:80 Tunnel gre:-c", "10.78.1.4:80 Tunnel ipip");

                d.reload(read(conf("  router_id vm", "    lvs_method TUN port 6081 type gue remcsum")));
                assertThat(timeouts()).as("lvs_timeouts removed: the originals back").isEqualTo("800 100 200");
                assertThat(tunnels()).containsExactlyInAnyOrder("10.78.1.2:80 Tunnel gue:6081:r+c",
                        "10.78.1.3:80 Tunnel gre:-c", "10.78.1.4:80 Tunnel ipip");

                d.reload(read(conf("  lvs_timeouts tcpfin 30", "")));
                assertThat(timeouts()).isEqualTo("800 30 200");
            } finally {
                d.close();
            }
            assertThat(timeouts()).as("stop: the originals back").isEqualTo("800 100 200");
            assertThat(StarLab.sh("ipvsadm -Ln")).doesNotContain(VIP);
        } finally {
            StarLab.sh("ipvsadm -D -t " + VIP + ":80 2>/dev/null; ipvsadm --set " + before);
        }
    }
}
