package io.javalived.director;

import static io.javalived.director.VirtualServerManagerTest.config;
import static io.javalived.director.VirtualServerManagerTest.rs;
import static io.javalived.director.VirtualServerManagerTest.table;
import static io.javalived.director.VirtualServerManagerTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.checkers.CheckScheduler;
import io.javalived.inet.RealServerKey;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.ipvs.Forwarding;
import io.javalived.ipvs.IpvsTable;
import io.javalived.inet.Protocol;
import io.javalived.ipvs.Destination;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.Service;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * javalived's restart rule for IPVS: a real server with checkers that the kernel's table of its service leaves out
 * (the previous run had it down) starts down until its checkers pass; keepalived's "up unless alpha" otherwise.
 */
class StartDownWhereAbsentTest {
    static final String CONF = """
            virtual_server 10.0.0.100 80 {
              lb_algo rr
              lb_kind NAT
              protocol TCP
              sorry_server 10.0.9.2 80
              real_server 10.0.0.2 80 {
                TCP_CHECK { connect_timeout 1 }
              }
              real_server 10.0.0.3 80 {
                weight 2
                TCP_CHECK { connect_timeout 1 }
              }
              real_server 10.0.0.4 80 {
                inhibit_on_failure
                TCP_CHECK { connect_timeout 1 }
              }
              real_server 10.0.0.5 80 {
              }
            }
            """;
    static final ServiceKey KEY = key("10.0.0.100");

    static ServiceKey key(String vip) {
        try {
            return ServiceKey.of(Protocol.TCP, InetAddress.getByName(vip), 80);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Destination dest(int n, int weight) throws Exception {
        return Destination.of(InetAddress.getByName("10.0.0." + n), 80, Forwarding.MASQ, weight);
    }

    /** The kernel's table as the Director reads it at start. */
    static IpvsTable kernel(Destination... servers) throws Exception {
        DryRunKernel k = new DryRunKernel();
        k.put(Service.of(KEY, "rr"), servers);
        k.put(Service.of(key("10.0.0.200"), "rr"), dest(3, 1)); // another service: not looked at
        return k.readOwned(Set.of(KEY));
    }

    static VirtualServerManager mgr(String text) throws Exception {
        return VirtualServerManager.of(config(text));
    }

    @Test
    void absentServersWithCheckersStartDownOthersAsKeepalived() throws Exception {
        VirtualServerManager m = mgr(CONF);
        List<DirectorAction> out = new ArrayList<>();
        // rs3 absent, rs4 inhibited (weight 0), rs5 (no checker) absent
        Set<RealServerKey> down = m.startDownWhereAbsent(kernel(dest(2, 1), dest(4, 0)), out);
        assertThat(down).containsExactly(rs(3), rs(4));
        assertThat(text(out)).containsExactly(
                "Service [10.0.0.3]:tcp:80 of VS [10.0.0.100]:tcp:80 was not in the IPVS table at start - keeping it"
                        + " out until its checkers pass",
                "Service [10.0.0.4]:tcp:80 of VS [10.0.0.100]:tcp:80 was inhibited in the IPVS table at start -"
                        + " keeping it out until its checkers pass");
        assertThat(text(m.start())).containsExactly("Gained quorum 1+0=1 <= 2 for VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.2:80 -m -w 1",
                "  -r 10.0.0.4:80 -m -w 0", "  -r 10.0.0.5:80 -m -w 1");
        assertThat(m.alive(rs(3))).contains(false);
        // the checker passes: the usual line, and it is in
        assertThat(text(m.onTransition(rs(3), true))).containsExactly(
                "Adding service [10.0.0.3]:tcp:80 to VS [10.0.0.100]:tcp:80");
        assertThat(text(m.onTransition(rs(4), true))).containsExactly(
                "Enabling service [10.0.0.4]:tcp:80 of VS [10.0.0.100]:tcp:80");
        assertThat(table(m)).containsExactly("-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.2:80 -m -w 1",
                "  -r 10.0.0.3:80 -m -w 2", "  -r 10.0.0.4:80 -m -w 1", "  -r 10.0.0.5:80 -m -w 1");
    }

    @Test
    void allPresentChangesNothing() throws Exception {
        VirtualServerManager m = mgr(CONF);
        List<DirectorAction> out = new ArrayList<>();
        assertThat(m.startDownWhereAbsent(kernel(dest(2, 1), dest(3, 2), dest(4, 1), dest(5, 1)), out)).isEmpty();
        assertThat(out).isEmpty();
        m.start();
        assertThat(table(m)).hasSize(5);
    }

    @Test
    void aServiceMissingFromTheKernelIsAFreshStart() throws Exception {
        VirtualServerManager m = mgr(CONF);
        List<DirectorAction> out = new ArrayList<>();
        DryRunKernel empty = new DryRunKernel();
        assertThat(m.startDownWhereAbsent(empty.readOwned(Set.of(KEY)), out)).isEmpty();
        m.start();
        assertThat(table(m)).hasSize(5);
    }

    @Test
    void sorryServerInTheTableKeepsItThereUntilTheCheckersPass() throws Exception {
        VirtualServerManager m = mgr(CONF);
        List<DirectorAction> out = new ArrayList<>();
        Destination sorry = Destination.of(InetAddress.getByName("10.0.9.2"), 80, Forwarding.MASQ, 1);
        assertThat(m.startDownWhereAbsent(kernel(sorry, dest(4, 0)), out)).containsExactly(rs(2), rs(3), rs(4));
        // rs5 (no checker) alone: weight 1 reaches quorum 1
        assertThat(text(m.start())).containsExactly("Gained quorum 1+0=1 <= 1 for VS [10.0.0.100]:tcp:80");
        VirtualServerManager q = mgr(CONF.replace("real_server 10.0.0.5 80 {\n  }\n", "")
                .replace("sorry_server", "quorum 2\n  sorry_server"));
        assertThat(q.startDownWhereAbsent(kernel(sorry), out)).hasSize(3);
        assertThat(text(q.start())).contains("Starting with quorum down 2-0=2 > 0 for VS [10.0.0.100]:tcp:80");
        assertThat(table(q)).containsExactly("-A -t 10.0.0.100:80 -s rr", "  -r 10.0.0.4:80 -m -w 0",
                "  -r 10.0.9.2:80 -m -w 1");
    }

    @Test
    void alphaServersAndCallsAfterStartAreLeftAlone() throws Exception {
        VirtualServerManager m = mgr(CONF.replace("weight 2", "weight 2\n    alpha"));
        List<DirectorAction> out = new ArrayList<>();
        assertThat(m.startDownWhereAbsent(kernel(dest(2, 1), dest(4, 1)), out)).as("alpha: already down")
                .isEmpty();
        VirtualServerManager n = mgr(CONF);
        n.start();
        assertThat(n.startDownWhereAbsent(kernel(dest(2, 1)), out)).isEmpty();
        assertThat(n.alive(rs(3))).contains(true);
    }

    // ---------------------------------------------------------------- the Director, with real checks

    /**
     * Against a fake kernel holding the previous run's table with only rs1: rs2 (healthy, listening) was out, so it is
     * not added at start but once its TCP_CHECK has passed; rs3 (dead, absent) is never added. With the rule off
     * (--clean-start), rs2 and rs3 are added at start, as keepalived does.
     */
    @Test
    void directorAddsAnAbsentServerOnlyAfterItsCheckPasses() throws Exception {
        try (ServerSocket rs1 = DirectorTest.listen(0); ServerSocket rs2 = DirectorTest.listen(0);
             ServerSocket probe = DirectorTest.listen(0)) {
            int p1 = rs1.getLocalPort();
            int p2 = rs2.getLocalPort();
            int p3 = probe.getLocalPort();
            probe.close(); // rs3: nobody listens
            String conf = """
                    virtual_server 10.0.0.100 80 {
                      delay_loop 2
                      lb_algo rr
                      lb_kind NAT
                      protocol TCP
                      real_server 127.0.0.1 P1 {
                        TCP_CHECK { connect_timeout 1 retry 0 }
                      }
                      real_server 127.0.0.1 P2 {
                        TCP_CHECK { connect_timeout 1 retry 0 }
                      }
                      real_server 127.0.0.1 P3 {
                        TCP_CHECK { connect_timeout 1 retry 0 }
                      }
                    }
                    """.replace("P1", "" + p1).replace("P2", "" + p2).replace("P3", "" + p3);
            KeepalivedConfig cfg = KeepalivedConfigReader.read(conf, Path.of("restart.conf")).config();
            InetAddress lo = InetAddress.getLoopbackAddress();
            String a = "127.0.0.1:" + p1 + " w1";
            String b = "127.0.0.1:" + p2 + " w1";
            String c = "127.0.0.1:" + p3 + " w1";

            DirectorTest.FakeKernel kernel = new DirectorTest.FakeKernel();
            kernel.put(Service.of(KEY, "rr"), Destination.of(lo, p1, Forwarding.MASQ, 1));
            try (CheckScheduler checks = new CheckScheduler(); Director d = Director.start(cfg, kernel, checks,
                    new Director.Options(false, s -> { }))) {
                assertThat(kernel.log).as("nothing added at start").isEmpty();
                assertThat(kernel.destsOf(KEY)).containsExactly(a);
                DirectorTest.waitFor("rs2 added after its check", () -> kernel.destsOf(KEY).equals(List.of(a, b)));
                Thread.sleep(2500); // rs3's check has failed meanwhile: still out
                assertThat(kernel.destsOf(KEY)).containsExactly(a, b);
                assertThat(kernel.log).containsExactly("-a -t 10.0.0.100:80 -r 127.0.0.1:" + p2 + " -m -w 1");
            }

            DirectorTest.FakeKernel k2 = new DirectorTest.FakeKernel();
            k2.put(Service.of(KEY, "rr"), Destination.of(lo, p1, Forwarding.MASQ, 1));
            try (CheckScheduler checks = new CheckScheduler(); Director d = Director.start(cfg, k2, checks,
                    new Director.Options(false, s -> { }, false))) {
                assertThat(k2.destsOf(KEY)).as("--clean-start: up unless alpha").containsExactly(a, b, c);
            }
        }
    }
}
