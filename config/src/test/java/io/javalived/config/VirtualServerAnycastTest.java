package io.javalived.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalived.config.model.Anycast;
import io.javalived.config.model.VirtualServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The javalived-only {@code anycast { ... }} block of a virtual_server. */
class VirtualServerAnycastTest {
    static final Path F = Path.of("/etc/keepalived/test.conf");

    static ConfigResult read(String vsBody) throws ConfigException {
        return KeepalivedConfigReader.read("virtual_server 192.0.2.100 80 {\n" + vsBody
                + "  protocol TCP\n  lb_kind DR\n  real_server 192.0.2.1 80 {\n  }\n}\n", F, "node1");
    }

    @Test
    void defaultsAndMaglevHashing() throws ConfigException {
        ConfigResult r = read("  anycast {\n  }\n");
        VirtualServer vs = r.config().virtualServers().get(0);
        assertThat(vs.anycast()).contains(new Anycast("anycast0", 100, 0, Duration.ofSeconds(3), Duration.ofSeconds(1)));
        assertThat(vs.lbAlgo()).isEqualTo("mh");
        assertThat(vs.schedulerFlags().flag1()).as("mh-fallback").isTrue();
        assertThat(vs.schedulerFlags().flag2()).as("mh-port").isTrue();
        assertThat(r.warnings()).noneMatch(w -> w.keyword().equals("lb_algo"));
        assertThat(r.warnings()).anyMatch(w -> w.keyword().equals("anycast") && w.failsConfigTest()
                && w.message().contains("keepalived 2.2.7 reports an unknown keyword") && w.line() == 2);
    }

    @Test
    void everySetting() throws ConfigException {
        ConfigResult r = read("  lb_algo mh\n  anycast {\n    interface ac1\n    table 4000\n    metric 20\n"
                + "    min_up 7\n    hold_down 0.5\n  }\n");
        assertThat(r.config().virtualServers().get(0).anycast())
                .contains(new Anycast("ac1", 4000, 20, Duration.ofSeconds(7), Duration.ofMillis(500)));
        assertThat(r.warnings()).filteredOn(w -> w.failsConfigTest()).extracting(ConfigWarning::keyword)
                .containsExactly("anycast", "interface", "table", "metric", "min_up", "hold_down");
        assertThat(r.config().virtualServers().get(0).schedulerFlags().flag2()).as("mh-port not given").isFalse();
    }

    @Test
    void schedulerFlagsAreSetOnTheServiceWithoutANotice() throws ConfigException {
        // the flags reach the IPVS service (AnycastVmTest reads "mh (mh-port)" from ipvsadm -Ln): no
        // "accepted but not acted upon" notice for them
        ConfigResult r = read("  lb_algo mh\n  mh-port\n  mh-fallback\n  anycast {\n  }\n");
        VirtualServer vs = r.config().virtualServers().get(0);
        assertThat(vs.ipvsFlags()).isEqualTo(0x0008 | 0x0010); // IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2
        assertThat(r.warnings()).noneMatch(w -> w.keyword().startsWith("mh-"));
        ConfigResult sh = KeepalivedConfigReader.read("virtual_server 192.0.2.100 80 {\n  lb_algo sh\n  sh-port\n"
                + "  flag-3\n  ops\n  protocol UDP\n  real_server 192.0.2.1 80 {\n  }\n}\n", F, "node1");
        assertThat(sh.config().virtualServers().get(0).ipvsFlags()).isEqualTo(0x0004 | 0x0010 | 0x0020);
        assertThat(sh.warnings()).noneMatch(w -> w.message().contains(KeywordCatalog.NOT_ACTED_UPON));
    }

    @Test
    void anycastWithoutMhIsWarned() throws ConfigException {
        ConfigResult r = read("  lb_algo rr\n  anycast {\n  }\n");
        assertThat(r.config().virtualServers().get(0).lbAlgo()).isEqualTo("rr");
        assertThat(r.warnings()).anyMatch(w -> !w.failsConfigTest() && w.message().equals("Anycast virtual server"
                + " 192.0.2.100:80 has lb_algo rr: directors will send one flow to different real servers; use lb_algo"
                + " mh with mh-port (the default for anycast)"));
    }

    @Test
    void withoutTheBlockNothingChanges() throws ConfigException {
        VirtualServer vs = read("").config().virtualServers().get(0);
        assertThat(vs.anycast()).isEmpty();
        assertThat(vs.lbAlgo()).isEqualTo("wlc");
    }

    @Test
    void errorsSayWhereAndWhat() {
        assertThatThrownBy(() -> read("  anycast {\n    table 254\n  }\n"))
                .hasMessageContaining("test.conf:3").hasMessageContaining("use a table of its own");
        assertThatThrownBy(() -> read("  anycast {\n    interface abcdefghijklmnopq\n  }\n"))
                .hasMessageContaining("test.conf:3").hasMessageContaining("1 to 15 characters");
        assertThatThrownBy(() -> KeepalivedConfigReader.read("virtual_server fwmark 5 {\n  anycast {\n  }\n"
                + "  real_server 192.0.2.1 80 {\n  }\n}\n", F, "node1"))
                .hasMessageContaining("test.conf:2").hasMessageContaining("needs a virtual server with an address");
    }
}
