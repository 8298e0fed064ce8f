package io.javalived.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabPlanTest {
    @Test
    void namesShareTheLabsPrefixAndLinkNamesFitIfnamsiz() {
        LabPlan p = new LabPlan(4194304); // the largest default pid_max
        assertThat(p.prefix()).isEqualTo("jvdemo-4194304-");
        assertThat(p.namespaces()).hasSize(6).allMatch(n -> n.startsWith(p.prefix()));
        assertThat(new HashSet<>(p.namespaces())).hasSize(6);
        for (LabPlan.Node n : LabPlan.nodes()) {
            assertThat(n.port().length()).as(n.port()).isLessThanOrEqualTo(15);
            assertThat(LabPlan.labPid(p.ns(n))).isEqualTo(4194304);
        }
        assertThat(LabPlan.labPid(p.switchNs())).isEqualTo(4194304);
    }

    @Test
    void addressesAndMacsAreUniqueAndPrivate() {
        Set<String> a = new HashSet<>();
        Set<String> m = new HashSet<>();
        for (LabPlan.Node n : LabPlan.nodes()) {
            assertThat(n.address()).startsWith("10.255.0.");
            assertThat(a.add(n.address())).isTrue();
            assertThat(m.add(n.mac())).isTrue();
            // locally administered unicast
            assertThat(Integer.parseInt(n.mac().substring(0, 2), 16) & 0x03).isEqualTo(0x02);
            assertThat(LabPlan.byMac(n.mac().toUpperCase())).isSameAs(n);
        }
        assertThat(a).doesNotContain(LabPlan.VIP);
        assertThat(LabPlan.byMac("02:00:0a:ff:00:99")).isNull();
    }

    @Test
    void labPidOfOtherNames() {
        assertThat(LabPlan.labPid("jvdemo-12-a")).isEqualTo(12);
        assertThat(LabPlan.labPid("jvdemo-x-a")).isEqualTo(-1);
        assertThat(LabPlan.labPid("jvdemo-12")).isEqualTo(-1);
        assertThat(LabPlan.labPid("jvv123_1")).isEqualTo(-1);
    }

    @Test
    void theDemoRunsTheShippedSamples() throws Exception {
        Path samples = Path.of("../config-samples");
        for (String f : new String[] {"demo-director-a.conf", "demo-director-b.conf"}) {
            try (var in = DemoCommand.class.getResourceAsStream("/demo/" + f)) {
                assertThat(in).as("resource /demo/" + f).isNotNull();
                assertThat(new String(in.readAllBytes())).as(f + ": the jar's copy equals config-samples/" + f)
                        .isEqualTo(Files.readString(samples.resolve(f)));
            }
        }
        String a = Files.readString(samples.resolve("demo-director-a.conf"));
        String b = Files.readString(samples.resolve("demo-director-b.conf"));
        assertThat(a).contains("priority 150", "virtual_router_id 51", "vrrp_instance VI_1", "lb_kind DR",
                "virtual_server " + LabPlan.VIP + " 80", "real_server " + LabPlan.WEB1.address() + " 80",
                "real_server " + LabPlan.WEB2.address() + " 80", "HTTP_GET");
        assertThat(b).contains("priority 100", "state BACKUP", "virtual_router_id 51");
    }
}
