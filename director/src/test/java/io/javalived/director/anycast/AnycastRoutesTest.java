package io.javalived.director.anycast;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.ConfigResult;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.VirtualServer;
import io.javalived.inet.VirtualServerKey;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnycastRoutesTest {
    /** Records the kernel calls; a route may be removed behind the daemon's back. */
    static final class FakeKernel implements AnycastRoutes.Kernel {
        final List<String> calls = new ArrayList<>();
        final Set<String> routes = new HashSet<>();
        boolean failNext;

        @Override
        public void addAddress(String iface, InetAddress address) {
            calls.add("address " + address.getHostAddress() + " " + iface);
        }

        @Override
        public void announce(InetAddress address, int table, long metric) throws Exception {
            if (failNext) {
                failNext = false;
                throw new Exception("EPERM");
            }
            calls.add("announce " + address.getHostAddress() + " table " + table + " metric " + metric);
            routes.add(address.getHostAddress() + "@" + table);
        }

        @Override
        public void withdraw(InetAddress address, int table) {
            calls.add("withdraw " + address.getHostAddress() + " table " + table);
            routes.remove(address.getHostAddress() + "@" + table);
        }

        @Override
        public boolean present(InetAddress address, int table) {
            return routes.contains(address.getHostAddress() + "@" + table);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    static List<VirtualServer> config(String anycast) throws Exception {
        ConfigResult r = KeepalivedConfigReader.read("virtual_server 192.0.2.100 80 {\n  protocol TCP\n  lb_kind DR\n"
                + anycast + "  real_server 192.0.2.1 80 {\n  }\n}\n"
                + "virtual_server 192.0.2.101 80 {\n  protocol TCP\n  real_server 192.0.2.1 80 {\n  }\n}\n",
                Path.of("/etc/keepalived/t.conf"), "n");
        return r.config().virtualServers();
    }

    static Instant at(double s) {
        return AnycastAnnouncerTest.at(s);
    }

    @Test
    void routeFollowsQuorumWithMinUpAndHoldDownAndGoesAtStop() throws Exception {
        List<VirtualServer> vss = config("  anycast {\n    table 77\n    metric 5\n    min_up 2\n    hold_down 1\n  }\n");
        VirtualServerKey key = vss.get(0).key();
        FakeKernel k = new FakeKernel();
        AnycastRoutes r = new AnycastRoutes(k);
        boolean[] q = {true};
        r.apply(vss, x -> q[0], at(0));
        assertThat(k.calls).containsExactly("address 192.0.2.100 anycast0");
        assertThat(r.nextChange()).isEqualTo(at(2));
        r.apply(vss, x -> q[0], at(2));
        assertThat(k.calls).last().isEqualTo("announce 192.0.2.100 table 77 metric 5");
        assertThat(r.status().get(key).announced()).isTrue();
        assertThat(r.status().get(key).prefix()).isEqualTo("192.0.2.100/32");
        assertThat(r.status()).hasSize(1); // the other virtual server is not anycast
        q[0] = false;
        r.apply(vss, x -> q[0], at(3));
        assertThat(r.announced()).containsExactly("192.0.2.100/32");
        r.apply(vss, x -> q[0], at(4));
        assertThat(k.calls).last().isEqualTo("withdraw 192.0.2.100 table 77");
        assertThat(r.announced()).isEmpty();
        q[0] = true;
        r.apply(vss, x -> q[0], at(5));
        r.apply(vss, x -> q[0], at(7));
        assertThat(r.announced()).containsExactly("192.0.2.100/32");
        r.stop(at(8));
        assertThat(k.calls.subList(k.calls.size() - 2, k.calls.size()))
                .containsExactly("withdraw 192.0.2.100 table 77", "close");
    }

    @Test
    void aFailedOrRemovedRouteIsPutBack() throws Exception {
        List<VirtualServer> vss = config("  anycast {\n    min_up 0\n  }\n");
        FakeKernel k = new FakeKernel();
        AnycastRoutes r = new AnycastRoutes(k);
        k.failNext = true;
        r.apply(vss, x -> true, at(0));
        assertThat(r.announced()).isEmpty();
        r.apply(vss, x -> true, at(0.1));
        assertThat(r.announced()).containsExactly("192.0.2.100/32");
        k.routes.clear(); // removed by hand
        r.apply(vss, x -> true, at(10));
        assertThat(k.routes).containsExactly("192.0.2.100@100");
    }

    @Test
    void aReloadWithoutTheBlockWithdraws() throws Exception {
        FakeKernel k = new FakeKernel();
        AnycastRoutes r = new AnycastRoutes(k);
        r.apply(config("  anycast {\n    min_up 0\n  }\n"), x -> true, at(0));
        assertThat(r.announced()).hasSize(1);
        r.apply(config(""), x -> true, at(1));
        assertThat(k.calls).last().isEqualTo("withdraw 192.0.2.100 table 100");
        assertThat(r.status()).isEmpty();
    }
}
