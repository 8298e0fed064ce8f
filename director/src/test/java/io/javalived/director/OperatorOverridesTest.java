package io.javalived.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalived.checkers.CheckScheduler;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.director.status.RealServerStatus;
import io.javalived.director.status.VirtualServerStatus;
import io.javalived.inet.Protocol;
import io.javalived.inet.VirtualServerKey;
import io.javalived.ipvs.DestEntry;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.ServiceKey;
import io.javalived.netlink.NetlinkException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator overrides through the director against the in-memory table, with connection counts the test sets: drain
 * (weight 0, out when the count reaches 0 or at the timeout), enable, disable of a real server everywhere and of a
 * virtual server, weight; the state file across a restart (no blip: the first table already has them) and a reload
 * (an override of a server that left the configuration is dropped with a line); the error cases.
 */
class OperatorOverridesTest {
    /** The dry-run table with connection counts per destination address:port. */
    static final class CountingKernel extends DryRunKernel {
        final Map<String, Long> conns = new ConcurrentHashMap<>();
        final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public List<io.javalived.ipvs.IpvsClient.OpResult> applyAll(List<io.javalived.ipvs.IpvsOp> ops) {
            ops.forEach(op -> log.add(op.toString()));
            return super.applyAll(ops);
        }

        List<String> destsOf(ServiceKey k) {
            List<io.javalived.ipvs.Destination> m = destinations(k);
            return m == null ? null : m.stream()
                    .map(r -> r.address().getHostAddress() + ":" + r.port() + " w" + r.weight()).toList();
        }

        @Override
        public IpvsTable readOwned(Set<ServiceKey> owned) throws NetlinkException {
            IpvsTable t = super.readOwned(owned);
            List<IpvsTable.Row> rows = new ArrayList<>();
            for (IpvsTable.Row r : t.services()) {
                List<DestEntry> ds = new ArrayList<>();
                for (DestEntry d : r.dests()) {
                    long n = conns.getOrDefault(d.server().address().getHostAddress() + ":" + d.server().port(), 0L);
                    ds.add(new DestEntry(d.server(), n, 0, 0, d.stats()));
                }
                rows.add(new IpvsTable.Row(r.entry(), ds));
            }
            return new IpvsTable(rows);
        }
    }

    static final String CONF = """
            virtual_server 10.0.0.100 80 {
              lb_algo rr
              lb_kind NAT
              protocol TCP
              real_server 10.0.0.2 80 {
                weight 1
              }
              real_server 10.0.0.3 80 {
                weight 2
              }
            }
            virtual_server 10.0.0.101 80 {
              lb_algo rr
              lb_kind NAT
              protocol TCP
              real_server 10.0.0.2 80 {
                weight 1
              }
            }
            """;

    static final ServiceKey VS1 = key("10.0.0.100");
    static final ServiceKey VS2 = key("10.0.0.101");
    static final InetSocketAddress RS2 = new InetSocketAddress(ip("10.0.0.2"), 80);
    static final InetSocketAddress RS3 = new InetSocketAddress(ip("10.0.0.3"), 80);

    @TempDir
    Path tmp;
    final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Held: JUL keeps loggers weakly. */
    static final Logger JUL = Logger.getLogger("io.javalived.director");

    @BeforeEach
    void captureLog() {
        JUL.addHandler(handler);
    }

    @AfterEach
    void releaseLog() {
        JUL.removeHandler(handler);
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static ServiceKey key(String vip) {
        return ServiceKey.of(Protocol.TCP, ip(vip), 80);
    }

    static KeepalivedConfig config(String text) throws Exception {
        return KeepalivedConfigReader.read(text, Path.of("overrides.conf")).config();
    }

    Director start(KeepalivedConfig cfg, CountingKernel k, CheckScheduler checks) {
        return Director.start(cfg, k, checks, new Director.Options(false, s -> { }, true, tmp.resolve("state/overrides")));
    }

    static RealServerStatus rs(Director d, String vs, String rs) {
        for (VirtualServerStatus v : d.status()) {
            if (v.name().equals(vs)) {
                return v.realServers().stream().filter(r -> r.address().equals(rs)).findFirst().orElseThrow();
            }
        }
        throw new AssertionError("no " + vs);
    }

    @Test
    void drainEnableDisableWeightSurviveRestartAndReload() throws Exception {
        CountingKernel k = new CountingKernel();
        VirtualServerKey vs1 = VirtualServerKey.parse("[10.0.0.100]:tcp:80");
        try (CheckScheduler checks = new CheckScheduler()) {
            Director d = start(config(CONF), k, checks);
            assertThat(k.destsOf(VS1)).containsExactlyInAnyOrder("10.0.0.2:80 w1", "10.0.0.3:80 w2");

            // drain under one virtual server: weight 0 there only, out once the connections end
            k.conns.put("10.0.0.2:80", 3L);
            List<String> a = d.drain(RS2, vs1, null);
            assertThat(a).containsExactly("[10.0.0.2]:tcp:80 VS [10.0.0.100]:tcp:80: draining (weight 0; out when"
                    + " its connections end, no timeout)");
            assertThat(k.destsOf(VS1)).containsExactlyInAnyOrder("10.0.0.2:80 w0", "10.0.0.3:80 w2");
            assertThat(k.destsOf(VS2)).containsExactlyInAnyOrder("10.0.0.2:80 w1");
            DirectorTest.waitFor("connections counted", () -> Long.valueOf(3)
                    .equals(rs(d, "[10.0.0.100]:tcp:80", "10.0.0.2:80").connectionsLeft()));
            RealServerStatus st = rs(d, "[10.0.0.100]:tcp:80", "10.0.0.2:80");
            assertThat(st.override()).isEqualTo("draining");
            assertThat(st.drainingSince()).isNotNull();
            assertThat(st.inPool()).isFalse();
            assertThat(d.drain(RS2, vs1, null).get(0)).contains("already draining since");
            Thread.sleep(1500);
            assertThat(k.destsOf(VS1)).as("still has connections").contains("10.0.0.2:80 w0");
            k.conns.put("10.0.0.2:80", 0L);
            DirectorTest.waitFor("drained out", () -> k.destsOf(VS1).equals(List.of("10.0.0.3:80 w2")));
            assertThat(lines).contains("Draining service [10.0.0.2]:tcp:80 of VS [10.0.0.100]:tcp:80 by operator"
                    + " request (weight 0, no timeout)", "Removing service [10.0.0.2]:tcp:80 from VS"
                    + " [10.0.0.100]:tcp:80 (drained: no connections left)");
            assertThat(rs(d, "[10.0.0.100]:tcp:80", "10.0.0.2:80").override()).isEqualTo("drained");
            assertThat(d.drain(RS2, vs1, null).get(0)).endsWith("already out (drained)");

            // enable: back through its verdict (no checkers: up)
            assertThat(d.enable(RS2, vs1).get(0)).contains("enabled (was drained); in, weight 1");
            assertThat(k.destsOf(VS1)).containsExactlyInAnyOrder("10.0.0.2:80 w1", "10.0.0.3:80 w2");
            assertThat(d.enable(RS2, vs1).get(0)).contains("already enabled");

            // a drain that times out with connections left
            k.conns.put("10.0.0.3:80", 7L);
            d.drain(RS3, null, Duration.ofMillis(1));
            DirectorTest.waitFor("drain timeout", () -> k.destsOf(VS1).equals(List.of("10.0.0.2:80 w1")));
            assertThat(lines).contains("Removing service [10.0.0.3]:tcp:80 from VS [10.0.0.100]:tcp:80 (drain"
                    + " timeout 0.001 s passed, 7 connections left)");
            d.enable(RS3, null);

            // disable by address: every virtual server holding it; weight override
            assertThat(d.disable(RS2, null)).hasSize(2);
            assertThat(d.weight(RS3, null, 5)).containsExactly("[10.0.0.3]:tcp:80 VS [10.0.0.100]:tcp:80: weight 5");
            assertThat(k.destsOf(VS1)).containsExactlyInAnyOrder("10.0.0.3:80 w5");
            assertThat(k.destsOf(VS2)).isEmpty();
            assertThat(d.disable(RS2, null).get(0)).endsWith("already disabled");
            assertThat(d.weight(RS3, null, 5).get(0)).endsWith("weight already 5");
            String file = Files.readString(tmp.resolve("state/overrides"));
            assertThat(file).contains("rs\t[10.0.0.100]:tcp:80\t10.0.0.2:80\tdisabled\t-\t-\t-\n",
                    "rs\t[10.0.0.101]:tcp:80\t10.0.0.2:80\tdisabled\t-\t-\t-\n",
                    "rs\t[10.0.0.100]:tcp:80\t10.0.0.3:80\tnone\t5\t-\t-\n");
            // and a virtual server out and back
            VirtualServerKey vs2 = VirtualServerKey.parse("10.0.0.101:80");
            d.disable(null, vs2);
            assertThat(k.destsOf(VS2)).isNull();
            d.enable(null, vs2);
            assertThat(k.destsOf(VS2)).isEmpty();
            d.disable(null, vs2);
            d.close(); // releaseOnStop false: the table stays, as after a kill -9

            // restart: the first table already has the overrides (nothing added and removed again)
            k.log.clear();
            Director d2 = start(config(CONF), k, checks);
            assertThat(k.log).as("restart changes nothing").isEmpty();
            assertThat(k.destsOf(VS1)).containsExactlyInAnyOrder("10.0.0.3:80 w5");
            assertThat(k.destsOf(VS2)).isNull();
            assertThat(lines).contains("Restoring operator override of service [10.0.0.2]:tcp:80 of VS"
                    + " [10.0.0.100]:tcp:80: disabled");
            assertThat(d2.status().get(1).disabled()).isTrue();

            // reload without 10.0.0.3 and without the second virtual server: their overrides are dropped
            String smaller = CONF.replace("""
                      real_server 10.0.0.3 80 {
                        weight 2
                      }
                    """, "").substring(0, CONF.indexOf("virtual_server 10.0.0.101") - 38);
            d2.reload(config(smaller));
            assertThat(lines).anyMatch(l -> l.startsWith("Dropping operator override (weight 5) of real server"
                    + " [10.0.0.3]:80 VS [10.0.0.100]:tcp:80"));
            assertThat(lines).anyMatch(l -> l.startsWith("Dropping operator override (disabled) of virtual server"
                    + " [10.0.0.101]:tcp:80"));
            assertThat(k.destsOf(VS1)).isEmpty();
            assertThat(Files.readString(tmp.resolve("state/overrides")))
                    .contains("10.0.0.2:80\tdisabled").doesNotContain("10.0.0.3").doesNotContain("vs\t");
            d2.enable(RS2, null);
            assertThat(k.destsOf(VS1)).containsExactlyInAnyOrder("10.0.0.2:80 w1");
            assertThat(Files.readString(tmp.resolve("state/overrides"))).doesNotContain("rs\t");
            d2.close();
        }
    }

    @Test
    void errorsNameWhatIsMissing() throws Exception {
        CountingKernel k = new CountingKernel();
        try (CheckScheduler checks = new CheckScheduler(); Director d = start(config(CONF), k, checks)) {
            assertThatThrownBy(() -> d.drain(new InetSocketAddress(ip("10.0.0.9"), 80), null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no real server 10.0.0.9:80 in the running configuration - 'javalived status'"
                            + " lists the real servers");
            assertThatThrownBy(() -> d.disable(RS3, VirtualServerKey.parse("[10.0.0.101]:tcp:80")))
                    .hasMessage("virtual server [10.0.0.101]:tcp:80 has no real server 10.0.0.3:80 (it is in"
                            + " [10.0.0.100]:tcp:80)");
            assertThatThrownBy(() -> d.weight(RS3, VirtualServerKey.parse("[10.0.0.1]:udp:53"), 3))
                    .hasMessageStartingWith("no virtual server [10.0.0.1]:udp:53 in the running configuration");
            assertThatThrownBy(() -> d.disable(null, VirtualServerKey.parse("FWM 9")))
                    .hasMessageStartingWith("no virtual server FWM 9");
            assertThat(k.destsOf(VS1)).containsExactlyInAnyOrder("10.0.0.2:80 w1", "10.0.0.3:80 w2");
            assertThat(Files.exists(tmp.resolve("state/overrides"))).as("nothing changed, nothing written").isFalse();
        }
    }

    @Test
    void stateFileRoundTripsAndNamesABadLine() {
        OverrideStore.Overrides o = new OverrideStore.Overrides(Map.of(
                io.javalived.inet.RealServerKey.of(VirtualServerKey.fwmark(7, false), ip("2001:db8::2"), 443),
                new OperatorOverride(OperatorOverride.State.DRAINING, 3, java.time.Instant.parse(
                        "2026-01-02T03:04:05Z"), Duration.ofSeconds(30))), Set.of(VirtualServerKey.parse("[web]:80")));
        assertThat(OverrideStore.parse(OverrideStore.format(o), "f")).isEqualTo(o);
        assertThatThrownBy(() -> OverrideStore.parse("# c\nrs\tFWM 7\t10.0.0.2:80\tsleeping\t-\t-\t-\n",
                "/var/lib/javalived/overrides"))
                .hasMessageStartingWith("/var/lib/javalived/overrides:2: cannot read the override");
        assertThat(OverrideStore.realServer("[10.0.0.2]:tcp:80")).isEqualTo(new InetSocketAddress(ip("10.0.0.2"), 80));
        assertThatThrownBy(() -> OverrideStore.realServer("10.0.0.2")).hasMessageStartingWith("not a real server");
    }
}
