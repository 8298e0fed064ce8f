package io.javalived.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.vrrp.runtime.ReloadDecision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VrrpUnitsTest {
    static final String BODY = """
            vrrp_script chk {
              script "/bin/true"
              interval 1
            }
            vrrp_script unused {
              script "/bin/true"
              interval 1
            }
            vrrp_sync_group G {
              group {
                VI_1
                VI_2
              }
            }
            vrrp_instance VI_1 {
              interface eth0
              virtual_router_id 1
              priority 100
              virtual_ipaddress {
                10.0.0.1
              }
              track_script {
                chk
              }
            }
            vrrp_instance VI_2 {
              interface eth0
              virtual_router_id 2
              priority 100
              virtual_ipaddress {
                10.0.0.2
              }
            }
            vrrp_instance VI_3 {
              interface eth0
              virtual_router_id 3
              priority %d
              virtual_ipaddress {
                10.0.0.3
              }
            }
            """;

    static KeepalivedConfig read(String text) throws Exception {
        return KeepalivedConfigReader.read(text, Path.of("units.conf")).config();
    }

    @Test
    void oneUnitPerSyncGroupAndPerLoneInstanceWithOnlyTheScriptsItUses() throws Exception {
        Map<String, KeepalivedConfig> u = VrrpUnits.split(read(BODY.formatted(100)));
        assertThat(u).containsOnlyKeys("vrrp_sync_group G", "VRRP_Instance(VI_3)");
        KeepalivedConfig g = u.get("vrrp_sync_group G");
        assertThat(g.vrrpInstances()).extracting(i -> i.name()).containsExactly("VI_1", "VI_2");
        assertThat(g.vrrpScripts()).containsOnlyKeys("chk");
        assertThat(u.get("VRRP_Instance(VI_3)").vrrpScripts()).isEmpty();
        assertThat(u.get("VRRP_Instance(VI_3)").virtualServers()).isEmpty();
    }

    @Test
    void movedBlocksAreUnchangedAndAChangedValueIsNot() throws Exception {
        Map<String, KeepalivedConfig> a = VrrpUnits.split(read(BODY.formatted(100)));
        Map<String, KeepalivedConfig> moved = VrrpUnits.split(read("\n\n# moved\n" + BODY.formatted(100)
                + "virtual_server 10.0.0.9 80 {\n  real_server 10.0.1.1 80 {\n    TCP_CHECK {\n    }\n  }\n}\n"));
        Map<String, KeepalivedConfig> changed = VrrpUnits.split(read(BODY.formatted(101)));
        assertThat(a.get("vrrp_sync_group G").vrrpInstances().get(0).origin())
                .isNotEqualTo(moved.get("vrrp_sync_group G").vrrpInstances().get(0).origin());
        for (String k : a.keySet()) {
            assertThat(VrrpUnits.sameIgnoringOrigin(a.get(k), moved.get(k))).as(k).isTrue();
        }
        assertThat(VrrpUnits.sameIgnoringOrigin(a.get("vrrp_sync_group G"), changed.get("vrrp_sync_group G")))
                .isTrue();
        assertThat(VrrpUnits.sameIgnoringOrigin(a.get("VRRP_Instance(VI_3)"), changed.get("VRRP_Instance(VI_3)")))
                .isFalse();
    }

    @Test
    void aReloadRestartsAUnitOnlyWhenAnInstancesIdentityOrAGroupsMembersChange() throws Exception {
        Map<String, KeepalivedConfig> a = VrrpUnits.split(read(BODY.formatted(100)));
        Map<String, KeepalivedConfig> prio = VrrpUnits.split(read(BODY.formatted(101)));
        assertThat(VrrpUnits.plan(a.get("VRRP_Instance(VI_3)"), prio.get("VRRP_Instance(VI_3)")))
                .isEqualTo(new ReloadDecision.Decision(ReloadDecision.Kind.UPDATE,
                        List.of("VI_3: vrrp_instance.priority")));
        assertThat(VrrpUnits.plan(a.get("vrrp_sync_group G"), prio.get("vrrp_sync_group G")).kind())
                .isEqualTo(ReloadDecision.Kind.KEEP);

        Map<String, KeepalivedConfig> routerId = VrrpUnits.split(read("global_defs {\n  router_id other\n"
                + "  notification_email {\n    ops@example.com\n  }\n}\n" + BODY.formatted(100)));
        for (String k : a.keySet()) {
            assertThat(VrrpUnits.plan(a.get(k), routerId.get(k)).kind()).as(k).isEqualTo(ReloadDecision.Kind.KEEP);
        }

        Map<String, KeepalivedConfig> vrid = VrrpUnits.split(read(BODY.formatted(100)
                .replace("virtual_router_id 3", "virtual_router_id 33")));
        assertThat(VrrpUnits.plan(a.get("VRRP_Instance(VI_3)"), vrid.get("VRRP_Instance(VI_3)")))
                .isEqualTo(new ReloadDecision.Decision(ReloadDecision.Kind.RESTART,
                        List.of("VI_3: vrrp_instance.virtualRouterId")));

        Map<String, KeepalivedConfig> members = VrrpUnits.split(read(BODY.formatted(100)
                .replace("    VI_2\n  }", "  }")));
        assertThat(VrrpUnits.plan(a.get("vrrp_sync_group G"), members.get("vrrp_sync_group G")).kind())
                .isEqualTo(ReloadDecision.Kind.RESTART);
    }
}
