package io.javalived.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.checkers.CheckScheduler;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.ipvs.IpvsClient.OpResult;
import io.javalived.ipvs.IpvsOp;
import io.javalived.ipvs.IpvsTable;
import io.javalived.inet.Protocol;
import io.javalived.ipvs.Destination;
import io.javalived.ipvs.Reconciler;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.Service;
import io.javalived.netlink.NetlinkException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The adapter end to end with real checks (TCP_CHECK against loopback listeners) and a fake kernel table: start
 * without a blip, a backend killed, all killed (sorry server), one back, stop removing only what it owns.
 */
class DirectorTest {
    /** The dry-run table, plus what the tests look at: the ops sent, a failing kernel, the owned set read. */
    static final class FakeKernel extends DryRunKernel {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        volatile boolean failing;
        volatile Set<ServiceKey> lastRead;
        volatile boolean flushed;

        @Override
        public IpvsTable readOwned(Set<ServiceKey> owned) throws NetlinkException {
            lastRead = Set.copyOf(owned);
            if (failing) {
                throw new NetlinkException("IPVS_CMD_GET_SERVICE", 97, "");
            }
            return super.readOwned(owned);
        }

        @Override
        public List<OpResult> applyAll(List<IpvsOp> ops) {
            ops.forEach(op -> log.add(op.toString()));
            return super.applyAll(ops);
        }

        @Override
        public void flush() {
            flushed = true;
            super.flush();
        }

        List<String> destsOf(ServiceKey k) {
            List<Destination> m = destinations(k);
            return m == null ? null : m.stream()
                    .map(r -> r.address().getHostAddress() + ":" + r.port() + " w" + r.weight()).toList();
        }
    }

    static void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static ServerSocket listen(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    @Test
    void followsTheCheckersAndStopsRemovingOnlyWhatItOwns() throws Exception {
        ServerSocket rs1 = listen(0);
        ServerSocket rs2 = listen(0);
        int p1 = rs1.getLocalPort();
        int p2 = rs2.getLocalPort();
        String conf = """
                virtual_server 10.0.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  omega
                  sorry_server 127.0.0.3 80
                  quorum_down "/bin/true qdown"
                  real_server 127.0.0.1 P1 {
                    notify_down "/bin/true down1"
                    TCP_CHECK { connect_timeout 1 retry 0 delay_before_retry 1 }
                  }
                  real_server 127.0.0.1 P2 {
                    TCP_CHECK { connect_timeout 1 retry 0 delay_before_retry 1 }
                  }
                }
                """.replace("P1", Integer.toString(p1)).replace("P2", Integer.toString(p2));
        KeepalivedConfig cfg = KeepalivedConfigReader.read(conf, Path.of("director.conf")).config();

        InetAddress lo = InetAddress.getLoopbackAddress();
        ServiceKey vip = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.100"), 80);
        ServiceKey foreign = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.9.9.9"), 80);
        FakeKernel kernel = new FakeKernel();
        // a service another tool owns, and the previous run's table (a restart)
        kernel.put(Service.of(foreign, "wlc"),
                Destination.of(InetAddress.getByName("10.9.9.10"), 80, io.javalived.ipvs.Forwarding.ROUTE, 1));
        kernel.put(Service.of(vip, "rr"), Destination.of(lo, p1, io.javalived.ipvs.Forwarding.MASQ, 1),
                Destination.of(lo, p2, io.javalived.ipvs.Forwarding.MASQ, 1));

        List<String> scripts = Collections.synchronizedList(new ArrayList<>());
        CheckScheduler checks = new CheckScheduler();
        Director d = null;
        try {
            d = Director.start(cfg, kernel, checks, new Director.Options(true, s -> scripts.add(s.toString())));
            assertThat(kernel.log).as("a restart against the same table changes nothing").isEmpty();
            assertThat(d.owned()).containsExactly(vip);
            String a = "127.0.0.1:" + p1 + " w1";
            String b = "127.0.0.1:" + p2 + " w1";
            assertThat(kernel.destsOf(vip)).containsExactly(a, b);

            rs1.close();
            waitFor("rs1 removed", () -> kernel.destsOf(vip).equals(List.of(b)));
            assertThat(scripts).anyMatch(s -> s.startsWith("notify_down /bin/true down1"));

            rs2.close();
            waitFor("sorry server in", () -> kernel.destsOf(vip).equals(List.of("127.0.0.3:80 w1")));
            assertThat(scripts).anyMatch(s -> s.startsWith("quorum_down"));

            rs1 = listen(p1);
            waitFor("rs1 back, sorry server out", () -> kernel.destsOf(vip).equals(List.of(a)));

            // a kernel error is retried until it goes through
            kernel.failing = true;
            rs2 = listen(p2);
            Thread.sleep(2500);
            assertThat(kernel.destsOf(vip)).containsExactly(a);
            kernel.failing = false;
            waitFor("rs2 back after the kernel recovered", () -> kernel.destsOf(vip).equals(List.of(a, b)));

            assertThat(kernel.destsOf(foreign)).containsExactly("10.9.9.10:80 w1");
            scripts.clear();
            d.close();
            assertThat(kernel.destsOf(vip)).as("owned service removed on stop").isNull();
            assertThat(kernel.destsOf(foreign)).as("foreign service untouched").containsExactly("10.9.9.10:80 w1");
            assertThat(kernel.flushed).isFalse();
            assertThat(scripts).as("omega").contains("quorum_down /bin/true qdown ([10.0.0.100]:tcp:80)");
        } finally {
            if (d != null) {
                d.close();
            }
            checks.close();
            rs1.close();
            rs2.close();
        }
    }

    @Test
    void flushOnStopAllFlushesAndNoReleaseLeavesTheTable() throws Exception {
        String conf = """
                global_defs {
                  lvs_flush_on_stop
                }
                virtual_server 10.0.0.100 80 {
                  protocol TCP
                  real_server 10.0.0.2 80 {
                  }
                }
                """;
        KeepalivedConfig cfg = KeepalivedConfigReader.read(conf, Path.of("f.conf")).config();
        FakeKernel kernel = new FakeKernel();
        try (CheckScheduler checks = new CheckScheduler()) {
            Director d = Director.start(cfg, kernel, checks, new Director.Options(true, s -> { }));
            assertThat(kernel.log).containsExactly("-A -t 10.0.0.100:80 -s wlc", "-a -t 10.0.0.100:80 -r 10.0.0.2:80 -m -w 1");
            d.close();
            assertThat(kernel.flushed).isTrue();
        }
        KeepalivedConfig plain = KeepalivedConfigReader.read(conf.replace("lvs_flush_on_stop", ""),
                Path.of("g.conf")).config();
        FakeKernel k2 = new FakeKernel();
        try (CheckScheduler checks = new CheckScheduler()) {
            Director d = Director.start(plain, k2, checks, new Director.Options(false, s -> { }));
            d.close();
            assertThat(k2.flushed).isFalse();
            assertThat(k2.table().services()).hasSize(1);
        }
    }

    @Test
    void desiredIsReadableFromOutside() throws Exception {
        KeepalivedConfig cfg = KeepalivedConfigReader.read("virtual_server fwmark 3 {\n  real_server 10.0.0.2 80 {\n  }\n}\n",
                Path.of("h.conf")).config();
        FakeKernel kernel = new FakeKernel();
        try (CheckScheduler checks = new CheckScheduler(); Director d = Director.start(cfg, kernel, checks,
                new Director.Options(true, s -> { }))) {
            Map<ServiceKey, Reconciler.Desired> m = d.desired();
            assertThat(m).containsKey(ServiceKey.fwmark(3, false));
            assertThat(d.lastResult()).isNotNull();
        }
    }

    @Test
    void reloadAppliesADiffAndKeepsHealthAndQuorum() throws Exception {
        ServerSocket rs1 = listen(0);
        ServerSocket rs2 = listen(0);
        int p1 = rs1.getLocalPort();
        int p2 = rs2.getLocalPort();
        String a = """
                virtual_server 10.0.0.100 80 {
                  delay_loop 1
                  protocol TCP
                  real_server 127.0.0.1 P1 {
                    TCP_CHECK { connect_timeout 1 retry 0 delay_before_retry 1 }
                  }
                  real_server 127.0.0.1 P2 {
                    TCP_CHECK { connect_timeout 1 retry 0 delay_before_retry 1 }
                  }
                }
                virtual_server 10.0.0.101 80 {
                  protocol TCP
                  real_server 10.0.0.5 80 {
                  }
                }
                """.replace("P1", Integer.toString(p1)).replace("P2", Integer.toString(p2));
        String b = """
                virtual_server 10.0.0.100 80 {
                  delay_loop 1
                  protocol TCP
                  real_server 127.0.0.1 P1 {
                    TCP_CHECK { connect_timeout 1 retry 0 delay_before_retry 1 }
                  }
                  real_server 127.0.0.1 P2 {
                    TCP_CHECK { connect_timeout 1 retry 0 delay_before_retry 1 }
                  }
                  real_server 10.0.0.9 80 {
                  }
                }
                virtual_server 10.0.0.102 80 {
                  protocol TCP
                  real_server 10.0.0.6 80 {
                  }
                }
                """.replace("P1", Integer.toString(p1)).replace("P2", Integer.toString(p2));
        ServiceKey vip = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.100"), 80);
        ServiceKey gone = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.101"), 80);
        ServiceKey added = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.102"), 80);
        FakeKernel kernel = new FakeKernel();
        CheckScheduler checks = new CheckScheduler();
        Director d = null;
        try {
            d = Director.start(KeepalivedConfigReader.read(a, Path.of("a.conf")).config(), kernel, checks,
                    new Director.Options(true, s -> { }));
            String b1 = "127.0.0.1:" + p2 + " w1";
            rs1.close();
            waitFor("rs1 removed", () -> kernel.destsOf(vip).equals(List.of(b1)));
            kernel.log.clear();

            d.reload(KeepalivedConfigReader.read(b, Path.of("b.conf")).config());
            assertThat(kernel.log).as("only the diff").containsExactlyInAnyOrder(
                    "-D -t 10.0.0.101:80",
                    "-a -t 10.0.0.100:80 -r 10.0.0.9:80 -m -w 1",
                    "-A -t 10.0.0.102:80 -s wlc",
                    "-a -t 10.0.0.102:80 -r 10.0.0.6:80 -m -w 1");
            assertThat(kernel.destsOf(vip)).as("rs1 stays down across the reload").containsExactly(b1,
                    "10.0.0.9:80 w1");
            assertThat(kernel.destsOf(gone)).isNull();
            assertThat(kernel.destsOf(added)).containsExactly("10.0.0.6:80 w1");
            assertThat(d.owned()).containsExactlyInAnyOrder(vip, added);

            rs1 = listen(p1);
            waitFor("rs1 back after the reload", () -> kernel.destsOf(vip).size() == 3);
        } finally {
            if (d != null) {
                d.close();
            }
            checks.close();
            rs1.close();
            rs2.close();
        }
    }

    @Test
    void aVirtualServerThatCannotBeBuiltFailsTheStartCleanly() throws Exception {
        KeepalivedConfig cfg = KeepalivedConfigReader.read("""
                virtual_server_group G {
                  10.0.0.100 80
                }
                virtual_server group G {
                  protocol TCP
                  real_server 10.0.0.2 80 {
                  }
                }
                """, Path.of("g.conf")).config();
        KeepalivedConfig broken = new KeepalivedConfig(cfg.globalDefs(), cfg.vrrpScripts(), cfg.trackFiles(),
                cfg.syncGroups(), cfg.vrrpInstances(), Map.of(), cfg.virtualServers());
        FakeKernel kernel = new FakeKernel();
        try (CheckScheduler checks = new CheckScheduler()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> Director.start(broken, kernel, checks, new Director.Options(true, s -> { })))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("virtual_server group G at g.conf:4 is not defined");
            assertThat(kernel.log).isEmpty();
            Director d = Director.start(cfg, kernel, checks, new Director.Options(true, s -> { }));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.reload(broken))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(kernel.destsOf(ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.100"), 80)))
                    .as("the running configuration is kept").containsExactly("10.0.0.2:80 w1");
            d.close();
        }
    }

    @Test
    void afterTheFirstRoundOnlyChangedServicesAreRead() throws Exception {
        ServerSocket rs1 = listen(0);
        String conf = """
                virtual_server 10.0.0.100 80 {
                  delay_loop 1
                  protocol TCP
                  real_server 127.0.0.1 P1 {
                    TCP_CHECK { connect_timeout 1 retry 0 delay_before_retry 1 }
                  }
                }
                virtual_server 10.0.0.101 80 {
                  protocol TCP
                  real_server 10.0.0.5 80 {
                  }
                }
                """.replace("P1", Integer.toString(rs1.getLocalPort()));
        ServiceKey a = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.100"), 80);
        ServiceKey b = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.101"), 80);
        FakeKernel kernel = new FakeKernel();
        try (CheckScheduler checks = new CheckScheduler(); Director d = Director.start(
                KeepalivedConfigReader.read(conf, Path.of("i.conf")).config(), kernel, checks,
                new Director.Options(true, s -> { }))) {
            assertThat(kernel.lastRead).containsExactlyInAnyOrder(a, b);
            rs1.close();
            waitFor("rs1 removed", () -> kernel.destsOf(a).isEmpty());
            assertThat(kernel.lastRead).containsExactly(a);
            assertThat(d.owned()).containsExactlyInAnyOrder(a, b);
        } finally {
            rs1.close();
        }
    }
}
