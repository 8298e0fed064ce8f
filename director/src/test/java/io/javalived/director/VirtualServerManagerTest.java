package io.javalived.director;

import io.javalived.inet.VirtualServerKey;
import io.javalived.ipvs.IpvsText;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.inet.RealServerKey;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.ipvs.DestEntry;
import io.javalived.ipvs.IpvsStats;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.Reconciler;
import io.javalived.ipvs.ServiceEntry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtualServerManagerTest {
    static final VirtualServerKey VS = VirtualServerKey.parse("[10.0.0.100]:tcp:80");

    static KeepalivedConfig config(String text) throws Exception {
        return KeepalivedConfigReader.read(text, Path.of("test.conf")).config();
    }

    static VirtualServerManager mgr(String text) throws Exception {
        return VirtualServerManager.of(config(text));
    }

    static VirtualServerManager mgr(String text, Predicate<RealServerKey> up) throws Exception {
        KeepalivedConfig c = config(text);
        return new VirtualServerManager(c.virtualServers(), c.virtualServerGroups(), up);
    }

    static RealServerKey id(String vs, String ip, int port) throws Exception {
        return id(VirtualServerKey.parse(vs), ip, port);
    }

    static RealServerKey id(VirtualServerKey vs, String ip, int port) throws Exception {
        return new RealServerKey(vs, new InetSocketAddress(InetAddress.getByName(ip), port));
    }

    static RealServerKey rs(int n) throws Exception {
        return id(VS, "10.0.0." + n, 80);
    }

    /** The desired table as ipvsadm -A/-a lines. */
    static List<String> table(VirtualServerManager m) {
        List<String> out = new ArrayList<>();
        for (Reconciler.Desired d : m.desired().values()) {
            out.add(IpvsText.addService(d.service()));
            for (io.javalived.ipvs.Destination r : d.servers()) {
                out.add("  " + IpvsText.destOptions(r));
            }
        }
        return out;
    }

    /**
     * Log lines and scripts (the FIFO lines are looked at by {@link #fifoLinesFollowTheScripts}, the mails by
     * {@code SmtpAlertsTest}).
     */
    static List<String> text(List<DirectorAction> actions) {
        return actions.stream().filter(a -> !(a instanceof DirectorAction.FifoLine)
                && !(a instanceof DirectorAction.SmtpAlert)).map(Object::toString).toList();
    }

    static List<String> fifo(List<DirectorAction> actions) {
        return actions.stream().filter(a -> a instanceof DirectorAction.FifoLine)
                .map(a -> ((DirectorAction.FifoLine) a).line()).toList();
    }

    static String realServers(int n, String extra) {
        StringBuilder sb = new StringBuilder();
        for (int i = 2; i < 2 + n; i++) {
            sb.append("  real_server 10.0.0.").append(i).append(" 80 {\n").append(extra)
                    .append("    TCP_CHECK { connect_timeout 1 }\n  }\n");
        }
        return sb.toString();
    }

    static final String BASIC = """
            virtual_server 10.0.0.100 80 {
  protocol TCP
              lb_algo rr
              lb_kind NAT
              protocol TCP
              sorry_server 10.0.9.2 80
              quorum_up "/bin/echo qup"
              quorum_down "/bin/echo qdown"
              real_server 10.0.0.2 80 {
                notify_up "/bin/echo up2"
                notify_down "/bin/echo down2"
                TCP_CHECK { connect_timeout 1 }
              }
              real_server 10.0.0.3 80 {
                weight 2
                TCP_CHECK { connect_timeout 1 }
              }
            }
            """;

    @Test
    void startGainsQuorumAndPutsEveryHealthyServerIn() throws Exception {
        VirtualServerManager m = mgr(BASIC);
        assertThat(text(m.start())).containsExactly(
                "Gained quorum 1+0=1 <= 3 for VS [10.0.0.100]:tcp:80",
                "quorum_up /bin/echo qup ([10.0.0.100]:tcp:80)");
        assertThat(table(m)).containsExactly(
                "-A -t 10.0.0.100:80 -s rr",
                "  -r 10.0.0.2:80 -m -w 1",
                "  -r 10.0.0.3:80 -m -w 2");
        assertThat(m.start()).isEmpty();
    }

    @Test
    void fifoLinesFollowTheScripts() throws Exception {
        VirtualServerManager m = mgr(BASIC);
        assertThat(fifo(m.start())).containsExactly("VS [10.0.0.100]:tcp:80 UP\n");
        assertThat(fifo(m.onTransition(rs(2), false))).containsExactly(
                "RS [10.0.0.2]:tcp:80 [10.0.0.100]:tcp:80 DOWN\n");
        assertThat(fifo(m.onTransition(rs(3), false))).containsExactly(
                "RS [10.0.0.3]:tcp:80 [10.0.0.100]:tcp:80 DOWN\n", "VS [10.0.0.100]:tcp:80 DOWN\n");
        assertThat(fifo(m.onTransition(rs(2), true))).containsExactly(
                "RS [10.0.0.2]:tcp:80 [10.0.0.100]:tcp:80 UP\n", "VS [10.0.0.100]:tcp:80 UP\n");
    }

    @Test
    void downRemovesUpAddsWithScripts() throws Exception {
        VirtualServerManager m = mgr(BASIC);
        m.start();
        assertThat(text(m.onTransition(rs(2), false))).containsExactly(
                "Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "notify_down /bin/echo down2 ([10.0.0.2]:tcp:80 VS [10.0.0.100]:tcp:80)");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.3:80 -m -w 2");
        assertThat(m.onTransition(rs(2), false)).isEmpty();
        assertThat(text(m.onTransition(rs(2), true))).containsExactly(
                "Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80",
                "notify_up /bin/echo up2 ([10.0.0.2]:tcp:80 VS [10.0.0.100]:tcp:80)");
        assertThat(table(m)).containsExactly(
                "-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.2:80 -m -w 1", "  -r 10.0.0.3:80 -m -w 2");
    }

    /** The sequence keepalived 2.2.7 logged in the IPVS VM (examples/keepalived-lvs.sh). */
    @Test
    void allDownBringsTheSorryServerInAndOneUpTakesItOut() throws Exception {
        VirtualServerManager m = mgr(BASIC);
        m.start();
        m.onTransition(rs(2), false);
        assertThat(text(m.onTransition(rs(3), false))).containsExactly(
                "Removing service [10.0.0.3]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80",
                "quorum_down /bin/echo qdown ([10.0.0.100]:tcp:80)",
                "Adding sorry server [10.0.9.2]:tcp:80 to VS [10.0.0.100]:tcp:80",
                "Removing alive servers from the pool for VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s rr", "  -r 10.0.9.2:80 -m -w 1");
        assertThat(m.quorumUp(VS)).isFalse();
        assertThat(text(m.onTransition(rs(3), true))).containsExactly(
                "Adding service [10.0.0.3]:tcp:80 to VS [10.0.0.100]:tcp:80",
                "Gained quorum 1+0=1 <= 2 for VS [10.0.0.100]:tcp:80",
                "Removing sorry server [10.0.9.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "Adding alive servers to the pool for VS [10.0.0.100]:tcp:80",
                "quorum_up /bin/echo qup ([10.0.0.100]:tcp:80)");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.3:80 -m -w 2");
    }

    @Test
    void quorumLostWithASorryServerTakesTheAliveServersOut() throws Exception {
        VirtualServerManager m = mgr("""
                virtual_server 10.0.0.100 80 {
  protocol TCP
                  quorum 2
                  sorry_server 10.0.9.2 80
                """ + realServers(2, "") + "}\n");
        m.start();
        m.onTransition(rs(2), false);
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc", "  -r 10.0.9.2:80 -m -w 1");
    }

    @Test
    void quorumLostWithoutSorryServerKeepsTheAliveServers() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  quorum 2\n" + realServers(2, "") + "}\n");
        m.start();
        assertThat(text(m.onTransition(rs(2), false))).containsExactly(
                "Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "Lost quorum 2-0=2 > 1 for VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc", "  -r 10.0.0.3:80 -m -w 1");
    }

    /**
     * Quorum with hysteresis over 5 real servers of weight 1: {@code ops} is a sequence of "-N" (server N down) and
     * "+N" (up); {@code states} the quorum state after each (U/D). Lost below quorum-hysteresis, gained at
     * quorum+hysteresis.
     */
    @ParameterizedTest(name = "quorum {0} hysteresis {1}: {2}")
    @CsvSource({
            "3, 0, -2 -3 -4 +4 +3,              U U D U U",
            "3, 1, -2 -3 -4 -5 +5 +4 +3,        U U U D D D U",
            "4, 1, -2 -3 -4 +4 +3 +2,           U U D D D U",
            "2, 1, -2 -3 -4 -5 -6 +6 +5 +4,     U U U U D D D U",
            "1, 0, -2 -3 -4 -5 -6 +6,           U U U U D U",
            "5, 0, -2 +2 -6 +6,                 D U D U",
    })
    void quorumEdgesWithHysteresis(int quorum, int hysteresis, String ops, String states) throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  quorum " + quorum + "\n  hysteresis "
                + hysteresis + "\n" + realServers(5, "") + "}\n");
        m.start();
        assertThat(m.quorumUp(VS)).isTrue();
        String[] o = ops.trim().split("\\s+");
        String[] s = states.trim().split("\\s+");
        assertThat(o).hasSameSizeAs(s);
        for (int i = 0; i < o.length; i++) {
            int n = Integer.parseInt(o[i].substring(1));
            m.onTransition(rs(n), o[i].charAt(0) == '+');
            assertThat(m.quorumUp(VS)).as("after %s (step %d)", o[i], i).isEqualTo(s[i].equals("U"));
        }
    }

    @Test
    void quorumLineShowsTheThresholdWithHysteresis() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  quorum 3\n  hysteresis 1\n"
                + realServers(5, "") + "}\n");
        assertThat(text(m.start())).containsExactly("Gained quorum 3+1=4 <= 5 for VS [10.0.0.100]:tcp:80");
        m.onTransition(rs(2), false);
        m.onTransition(rs(3), false);
        m.onTransition(rs(4), false);
        assertThat(text(m.onTransition(rs(5), false))).contains("Lost quorum 3-1=2 > 1 for VS [10.0.0.100]:tcp:80");
    }

    @Test
    void hysteresisAndQuorumAreClampedAsKeepalivedDoes() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  quorum 5\n  hysteresis 4\n"
                + realServers(2, "") + "}\n");
        List<String> start = text(m.start());
        assertThat(start).contains(
                "Warning - quorum 5 for [10.0.0.100]:tcp:80 exceeds total weight of real servers 2, reducing quorum to 2",
                "Virtual server [10.0.0.100]:tcp:80: hysteresis 4 >= quorum 2; setting hysteresis to 1",
                "Starting with quorum down 2-1=3 > 2 for VS [10.0.0.100]:tcp:80");
        assertThat(m.quorumUp(VS)).isFalse(); // 2 alive < quorum 2 + hysteresis 1
        m.onTransition(rs(2), false);
        assertThat(text(m.onTransition(rs(2), true))).doesNotContain("Gained quorum 2+1=3 <= 2 for VS " + VS);
    }

    @Test
    void inhibitOnFailureKeepsTheServerAtWeightZero() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  lb_algo rr\n"
                + realServers(2, "    inhibit_on_failure\n") + "}\n");
        m.start();
        assertThat(text(m.onTransition(rs(3), false))).containsExactly(
                "Disabling service [10.0.0.3]:tcp:80 of VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly(
                "-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.2:80 -m -w 1", "  -r 10.0.0.3:80 -m -w 0");
        assertThat(text(m.onTransition(rs(3), true))).containsExactly(
                "Enabling service [10.0.0.3]:tcp:80 of VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly(
                "-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.2:80 -m -w 1", "  -r 10.0.0.3:80 -m -w 1");
    }

    @Test
    void inhibitedServersStayAtWeightZeroWhileTheSorryServerServes() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  quorum 2\n  sorry_server 10.0.9.2 80\n"
                + realServers(2, "    inhibit_on_failure\n") + "}\n");
        m.start();
        m.onTransition(rs(2), false);
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc",
                "  -r 10.0.0.2:80 -m -w 0", "  -r 10.0.0.3:80 -m -w 0", "  -r 10.0.9.2:80 -m -w 1");
    }

    @Test
    void sorryServerInhibitKeepsItAtWeightZeroUntilNeeded() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  sorry_server 10.0.9.2 80\n"
                + "  sorry_server_inhibit\n" + realServers(1, "") + "}\n");
        m.start();
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc",
                "  -r 10.0.0.2:80 -m -w 1", "  -r 10.0.9.2:80 -m -w 0");
        assertThat(text(m.onTransition(rs(2), false))).contains(
                "Enabling sorry server [10.0.9.2]:tcp:80 to VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc", "  -r 10.0.9.2:80 -m -w 1");
        assertThat(text(m.onTransition(rs(2), true))).contains(
                "Disabling sorry server [10.0.9.2]:tcp:80 from VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc",
                "  -r 10.0.0.2:80 -m -w 1", "  -r 10.0.9.2:80 -m -w 0");
    }

    @Test
    void alphaStartsDownSoTheSorryServerStartsIn() throws Exception {
        VirtualServerManager m = mgr("""
                virtual_server 10.0.0.100 80 {
  protocol TCP
                  alpha
                  sorry_server 10.0.9.2 80
                  quorum_down "/bin/echo qdown"
                """ + realServers(2, "") + "}\n");
        // as keepalived 2.2.7 logged it in the IPVS VM
        assertThat(text(m.start())).containsExactly(
                "Starting with quorum down 1-0=1 > 0 for VS [10.0.0.100]:tcp:80",
                "quorum_down /bin/echo qdown ([10.0.0.100]:tcp:80)",
                "Adding sorry server [10.0.9.2]:tcp:80 to VS [10.0.0.100]:tcp:80",
                "Removing alive servers from the pool for VS [10.0.0.100]:tcp:80");
        assertThat(m.alive(rs(2))).contains(false);
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc", "  -r 10.0.9.2:80 -m -w 1");
        assertThat(text(m.onTransition(rs(2), true))).containsExactly(
                "Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80",
                "Gained quorum 1+0=1 <= 1 for VS [10.0.0.100]:tcp:80",
                "Removing sorry server [10.0.9.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "Adding alive servers to the pool for VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc", "  -r 10.0.0.2:80 -m -w 1");
    }

    @Test
    void aRealServerWithoutCheckersIsAlwaysUp() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  real_server 10.0.0.2 80 {\n  }\n}\n",
                id -> false);
        m.start();
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc", "  -r 10.0.0.2:80 -m -w 1");
    }

    @Test
    void omegaRunsNotifyDownAndQuorumDownOnShutdown() throws Exception {
        String conf = BASIC.replace("lb_algo rr", "lb_algo rr\n  omega");
        VirtualServerManager m = mgr(conf);
        m.start();
        assertThat(text(m.shutdown())).containsExactly(
                "Shutting down service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "Shutting down service [10.0.0.3]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "notify_down /bin/echo down2 ([10.0.0.2]:tcp:80 VS [10.0.0.100]:tcp:80)",
                "quorum_down /bin/echo qdown ([10.0.0.100]:tcp:80)");
        assertThat(m.onTransition(rs(2), false)).isEmpty();
        assertThat(m.shutdown()).isEmpty();
    }

    @Test
    void withoutOmegaShutdownRunsNoScripts() throws Exception {
        VirtualServerManager m = mgr(BASIC);
        m.start();
        m.onTransition(rs(2), false);
        m.onTransition(rs(3), false);
        assertThat(text(m.shutdown())).containsExactly(
                "Shutting down service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "Shutting down service [10.0.0.3]:tcp:80 from VS [10.0.0.100]:tcp:80");
    }

    @Test
    void shutdownNamesInhibitedServers() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n"
                + realServers(2, "    inhibit_on_failure\n") + "}\n");
        m.start();
        m.onTransition(rs(3), false);
        assertThat(text(m.shutdown())).containsExactly(
                "Shutting down service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "Shutting down (inhibited) service [10.0.0.3]:tcp:80 from VS [10.0.0.100]:tcp:80");
    }

    @Test
    void dynamicWeightReplacesTheConfiguredOneAndCountsForQuorum() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n  quorum 2\n" + realServers(2, "") + "}\n");
        m.start();
        assertThat(text(m.onWeight(rs(2), 5))).containsExactly(
                "Changing weight from 1 to 5 for active service [10.0.0.2]:tcp:80 of VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc",
                "  -r 10.0.0.2:80 -m -w 5", "  -r 10.0.0.3:80 -m -w 1");
        assertThat(m.onWeight(rs(2), 5)).isEmpty();
        m.onTransition(rs(3), false);
        assertThat(m.quorumUp(VS)).isTrue(); // 5 >= 2
        assertThat(text(m.onWeight(rs(2), 1))).containsExactly(
                "Changing weight from 5 to 1 for active service [10.0.0.2]:tcp:80 of VS [10.0.0.100]:tcp:80",
                "Lost quorum 2-0=2 > 1 for VS [10.0.0.100]:tcp:80");
        assertThat(text(m.onWeight(rs(3), 7))).containsExactly(
                "Changing weight from 1 to 7 for inactive service [10.0.0.3]:tcp:80 of VS [10.0.0.100]:tcp:80");
        assertThat(text(m.onTransition(rs(3), true))).contains("Gained quorum 2+0=2 <= 8 for VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc",
                "  -r 10.0.0.2:80 -m -w 1", "  -r 10.0.0.3:80 -m -w 7");
    }

    @Test
    void weightZeroAloneLosesQuorum() throws Exception {
        VirtualServerManager m = mgr("virtual_server 10.0.0.100 80 {\n  protocol TCP\n" + realServers(1, "") + "}\n");
        m.start();
        assertThat(text(m.onWeight(rs(2), 0))).contains("Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc", "  -r 10.0.0.2:80 -m -w 0");
    }

    @Test
    void fwmarkVirtualServers() throws Exception {
        VirtualServerManager m = mgr("""
                virtual_server fwmark 7 {
  protocol TCP
                  lb_algo rr
                  lb_kind DR
                  real_server 10.0.0.2 80 { TCP_CHECK { connect_timeout 1 } }
                }
                """);
        assertThat(text(m.start())).containsExactly("Gained quorum 1+0=1 <= 1 for VS FWM 7");
        assertThat(table(m)).containsExactly("-A -f 7 -s rr", "  -r 10.0.0.2:80 -g -w 1");
        assertThat(text(m.onTransition(id("FWM 7", "10.0.0.2", 80), false))).first()
                .isEqualTo("Removing service [10.0.0.2]:tcp:80 from VS FWM 7");
    }

    @Test
    void groupsExpandToOneServicePerEntryAndAddressInARange() throws Exception {
        VirtualServerManager m = mgr("""
                virtual_server_group WEB {
                  10.0.0.100 80
                  10.0.1.1-3 8080
                  fwmark 9
                }
                virtual_server group WEB {
  protocol TCP
                  lb_algo rr
                  real_server 10.0.0.2 80 { TCP_CHECK { connect_timeout 1 } }
                }
                """);
        m.start();
        assertThat(table(m)).containsExactly(
                "-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.2:80 -m -w 1",
                "-A -t 10.0.1.1:8080 -s rr", "  -r 10.0.0.2:80 -m -w 1",
                "-A -t 10.0.1.2:8080 -s rr", "  -r 10.0.0.2:80 -m -w 1",
                "-A -t 10.0.1.3:8080 -s rr", "  -r 10.0.0.2:80 -m -w 1",
                "-A -f 9 -s rr", "  -r 10.0.0.2:80 -m -w 1");
        VirtualServerKey vs = m.realServers().get(0).virtualServer();
        m.onTransition(id(vs, "10.0.0.2", 80), false);
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s rr", "-A -t 10.0.1.1:8080 -s rr",
                "-A -t 10.0.1.2:8080 -s rr", "-A -t 10.0.1.3:8080 -s rr", "-A -f 9 -s rr");
    }

    @Test
    void ipv6() throws Exception {
        VirtualServerManager m = mgr("""
                virtual_server 2001:db8::100 443 {
                  lb_algo rr
                  protocol TCP
                  sorry_server 2001:db8:9::2 443
                  real_server 2001:db8::2 443 { TCP_CHECK { connect_timeout 1 } }
                }
                virtual_server fwmark 8 {
  protocol TCP
                  real_server 2001:db8::3 443 { TCP_CHECK { connect_timeout 1 } }
                }
                """);
        assertThat(text(m.start())).startsWith("Gained quorum 1+0=1 <= 1 for VS [2001:db8::100]:tcp:443");
        assertThat(table(m)).containsExactly(
                "-A -t [2001:db8::100]:443 -s rr", "  -r [2001:db8::2]:443 -m -w 1",
                "-A -f 8 -6 -s wlc", "  -r [2001:db8::3]:443 -m -w 1");
        assertThat(text(m.onTransition(id("[2001:db8::100]:tcp:443", "2001:db8::2", 443), false))).contains(
                "Removing service [2001:db8::2]:tcp:443 from VS [2001:db8::100]:tcp:443",
                "Adding sorry server [2001:db8:9::2]:tcp:443 to VS [2001:db8::100]:tcp:443");
        assertThat(table(m)).containsExactly(
                "-A -t [2001:db8::100]:443 -s rr", "  -r [2001:db8:9::2]:443 -m -w 1",
                "-A -f 8 -6 -s wlc", "  -r [2001:db8::3]:443 -m -w 1");
    }

    @Test
    void persistenceSchedulerFlagsAndThresholdsReachTheTable() throws Exception {
        VirtualServerManager m = mgr("""
                virtual_server 10.0.0.100 80 {
  protocol TCP
                  lb_algo sh
                  sh-fallback
                  persistence_timeout 300
                  persistence_granularity 255.255.255.0
                  real_server 10.0.0.2 80 {
                    uthreshold 100
                    lthreshold 10
                    TCP_CHECK { connect_timeout 1 }
                  }
                }
                """);
        m.start();
        Reconciler.Desired d = m.desired().values().iterator().next();
        assertThat(d.service().persistent()).isTrue();
        assertThat(d.service().timeout()).isEqualTo(300);
        assertThat(d.service().netmask()).isEqualTo(0xffffff00L);
        assertThat(d.service().flags() & io.javalived.ipvs.Ipvs.SVC_F_SCHED1).isNotZero();
        assertThat(d.servers().get(0).upperThreshold()).isEqualTo(100);
        assertThat(d.servers().get(0).lowerThreshold()).isEqualTo(10);
    }

    @Test
    void haSuspendFreezesTheTableAndReplaysOnResume() throws Exception {
        VirtualServerManager m = mgr(BASIC.replace("lb_algo rr", "lb_algo rr\n  ha_suspend"));
        m.start();
        List<String> before = table(m);
        assertThat(text(m.setHaSuspended(true))).containsExactly(
                "Suspending healthchecker for service [10.0.0.2]:tcp:80 for VS [10.0.0.100]:tcp:80",
                "Suspending healthchecker for service [10.0.0.3]:tcp:80 for VS [10.0.0.100]:tcp:80");
        assertThat(m.onTransition(rs(2), false)).isEmpty();
        assertThat(m.onWeight(rs(3), 4)).isEmpty();
        assertThat(table(m)).isEqualTo(before);
        assertThat(m.setHaSuspended(true)).isEmpty();
        assertThat(text(m.setHaSuspended(false))).containsExactly(
                "Activating healthchecker for service [10.0.0.2]:tcp:80 for VS [10.0.0.100]:tcp:80",
                "Activating healthchecker for service [10.0.0.3]:tcp:80 for VS [10.0.0.100]:tcp:80",
                "Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "notify_down /bin/echo down2 ([10.0.0.2]:tcp:80 VS [10.0.0.100]:tcp:80)",
                "Changing weight from 2 to 4 for active service [10.0.0.3]:tcp:80 of VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.3:80 -m -w 4");
    }

    @Test
    void haSuspendLeavesOtherVirtualServersAlone() throws Exception {
        VirtualServerManager m = mgr(BASIC);
        m.start();
        assertThat(m.setHaSuspended(true)).isEmpty();
        assertThat(m.onTransition(rs(2), false)).isNotEmpty();
    }

    @Test
    void unknownRealServersAreIgnored() throws Exception {
        VirtualServerManager m = mgr(BASIC);
        m.start();
        assertThat(m.onTransition(id(VS, "10.9.9.9", 80), false)).isEmpty();
        assertThat(m.onWeight(id("FWM 1", "10.0.0.2", 80), 3)).isEmpty();
    }

    /** A restart against a kernel that still holds the previous run's table changes nothing. */
    @Test
    void restartAgainstTheSameKernelTablePlansNoChange() throws Exception {
        VirtualServerManager before = mgr(BASIC);
        before.start();
        IpvsTable kernel = asKernel(before.desired());
        VirtualServerManager after = mgr(BASIC);
        after.start();
        Reconciler.Plan plan = Reconciler.plan(after.desired(), kernel, Set.of());
        assertThat(plan.ops()).isEmpty();
    }

    @Test
    void aSharedRealServerUnderTwoVirtualServersIsTrackedInEach() throws Exception {
        VirtualServerManager m = mgr("""
                virtual_server 10.0.0.100 80 {
  protocol TCP
                  real_server 10.0.0.2 80 { TCP_CHECK { connect_timeout 1 } }
                }
                virtual_server 10.0.0.101 80 {
  protocol TCP
                  real_server 10.0.0.2 80 { TCP_CHECK { connect_timeout 1 } }
                }
                """);
        m.start();
        m.onTransition(rs(2), false);
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s wlc",
                "-A -t 10.0.0.101:80 -s wlc", "  -r 10.0.0.2:80 -m -w 1");
    }

    @Test
    void adoptKeepsQuorumAndDynamicWeightsOfUnchangedVirtualServers() throws Exception {
        RealServerKey down = rs(2);
        VirtualServerManager old = mgr(BASIC);
        old.start();
        old.onWeight(rs(3), 6);
        old.onTransition(rs(2), false);
        VirtualServerManager next = mgr(BASIC.replace("real_server 10.0.0.3 80 {", """
                real_server 10.0.0.4 80 {
                    TCP_CHECK { connect_timeout 1 }
                  }
                  real_server 10.0.0.3 80 {"""), id -> !id.equals(down));
        next.adopt(old);
        assertThat(text(next.start())).as("no Gained quorum again; the new real server is reported")
                .containsExactly("Adding service [10.0.0.4]:tcp:80 to VS [10.0.0.100]:tcp:80");
        assertThat(table(next)).containsExactly("-A -t 10.0.0.100:80 -s rr",
                "  -r 10.0.0.4:80 -m -w 1", "  -r 10.0.0.3:80 -m -w 6");
        // a virtual server whose quorum changed in the new configuration reports it
        VirtualServerManager q = mgr(BASIC.replace("lb_algo rr", "lb_algo rr\n  quorum 3"), id -> false);
        q.adopt(old);
        assertThat(text(q.start())).contains("Lost quorum 3-0=3 > 0 for VS [10.0.0.100]:tcp:80");
    }

    @Test
    void reloadReportsRealServersAddedAndRemovedLikeVerdicts() throws Exception {
        VirtualServerManager old = mgr(BASIC);
        old.start();
        old.onTransition(rs(3), false); // not in the pool: its removal from the file is not a pool change
        VirtualServerManager next = mgr(BASIC.replace("real_server 10.0.0.2 80 {", "real_server 10.0.0.5 80 {")
                .replace("real_server 10.0.0.3 80 {", "real_server 10.0.0.6 80 {\n inhibit_on_failure"),
                id -> true);
        next.adopt(old);
        assertThat(text(next.start())).containsExactly(
                "Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                "Adding service [10.0.0.5]:tcp:80 to VS [10.0.0.100]:tcp:80",
                "Enabling service [10.0.0.6]:tcp:80 of VS [10.0.0.100]:tcp:80");
    }

    @Test
    void statusShowsQuorumPoolAndSorryServer() throws Exception {
        VirtualServerManager m = mgr(BASIC);
        m.start();
        java.time.Instant t = java.time.Instant.parse("2026-11-24T21:00:00Z");
        var vs = m.status(id -> List.of(), id -> t).get(0);
        assertThat(vs.name()).isEqualTo(VS.toString());
        assertThat(vs.scheduler()).isEqualTo("rr");
        assertThat(vs.forwarding()).isEqualTo("NAT");
        assertThat(vs.quorumUp()).isTrue();
        assertThat(vs.realServersUp()).isEqualTo(2);
        assertThat(vs.realServersTotal()).isEqualTo(2);
        assertThat(vs.aliveWeight()).isEqualTo(3);
        assertThat(vs.sorryServer()).isEqualTo("10.0.9.2:80");
        assertThat(vs.sorryActive()).isFalse();
        assertThat(vs.realServers()).extracting(r -> r.address() + " " + r.alive() + " w" + r.weight() + " "
                + r.inPool()).containsExactly("10.0.0.2:80 true w1 true", "10.0.0.3:80 true w2 true");
        assertThat(vs.realServers().get(0).since()).isEqualTo(t);

        m.onTransition(rs(2), false);
        m.onTransition(rs(3), false);
        vs = m.status(id -> List.of(), id -> null).get(0);
        assertThat(vs.quorumUp()).isFalse();
        assertThat(vs.sorryActive()).isTrue();
        assertThat(vs.realServersUp()).isZero();
        assertThat(vs.realServers()).noneMatch(r -> r.inPool());
    }

    static IpvsTable asKernel(Map<io.javalived.ipvs.ServiceKey, Reconciler.Desired> desired) {
        List<IpvsTable.Row> services = new ArrayList<>();
        for (Reconciler.Desired d : desired.values()) {
            List<DestEntry> dests = new ArrayList<>();
            for (io.javalived.ipvs.Destination r : d.servers()) {
                dests.add(new DestEntry(r, 3, 5, 0, IpvsStats.ZERO));
            }
            services.add(new IpvsTable.Row(new ServiceEntry(d.service(), IpvsStats.ZERO), dests));
        }
        return new IpvsTable(services);
    }
}
