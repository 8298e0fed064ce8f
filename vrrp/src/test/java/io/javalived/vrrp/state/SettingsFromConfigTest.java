package io.javalived.vrrp.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.VrrpInstance;
import io.javalived.vrrp.packet.ValidatorSettings;
import io.javalived.vrrp.packet.VrrpPacket;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The factories from the config model, on a keepalived.conf read by the config module. */
class SettingsFromConfigTest {
    static final String CONF = """
            global_defs {
                router_id d1
                vrrp_garp_master_delay 2
                vrrp_garp_master_repeat 3
                vrrp_garp_master_refresh 60
            }
            vrrp_instance VI_1 {
                state BACKUP
                interface lo
                virtual_router_id 51
                priority 150
                advert_int 2
                nopreempt
                authentication {
                    auth_type PASS
                    auth_pass secret12345
                }
                virtual_ipaddress {
                    192.168.77.100/24 dev lo label lo:vip
                    192.168.77.101
                }
            }
            vrrp_instance VI_6 {
                state MASTER
                interface lo
                virtual_router_id 52
                advert_int 0.05
                preempt_delay 3
                unicast_src_ip fe80::1
                unicast_peer {
                    fe80::2
                }
                virtual_ipaddress {
                    fe80::100/64
                    2001:db8::100/64
                }
            }
            """;

    static VrrpInstance instance(KeepalivedConfig c, String name) {
        return c.vrrpInstances().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void buildsStateAndValidatorSettingsFromTheModel() throws Exception {
        KeepalivedConfig c = KeepalivedConfigReader.read(CONF, Path.of("keepalived.conf")).config();
        VrrpInstance v1 = instance(c, "VI_1");
        VrrpSettings s = VrrpSettings.from(v1, InetAddress.getByName("192.168.77.1"));
        assertThat(s.name()).isEqualTo("VI_1");
        assertThat(s.version()).isEqualTo(2);
        assertThat(s.basePriority()).isEqualTo(150);
        assertThat(s.advertIntervalNanos()).isEqualTo(2_000_000_000L);
        assertThat(s.initialMaster()).isFalse();
        assertThat(s.preempt()).as("nopreempt").isFalse();
        assertThat(s.garpMasterDelayNanos()).isEqualTo(2_000_000_000L);
        assertThat(s.garpMasterRepeat()).isEqualTo(3);
        assertThat(s.garpMasterRefreshNanos()).isEqualTo(60_000_000_000L);
        assertThat(s.downTimerAdverts()).isEqualTo(3);
        ValidatorSettings vs = ValidatorSettings.from(v1, c.globalDefs().v3ChecksumAsV2(),
                c.globalDefs().vrrpCheckUnicastSrc(), c.globalDefs().vrrpSkipCheckAdvAddr());
        assertThat(vs.authType()).isEqualTo(VrrpPacket.AUTH_PASS);
        assertThat(vs.authData()).isEqualTo(VrrpPacket.passData("secret12"));
        assertThat(vs.advertIntervalSeconds()).isEqualTo(2);
        assertThat(vs.virtualIps()).containsExactly(InetAddress.getByName("192.168.77.100"),
                InetAddress.getByName("192.168.77.101"));
        assertThat(vs.unicast()).isFalse();

        VrrpInstance v6 = instance(c, "VI_6");
        VrrpSettings s6 = VrrpSettings.from(v6, InetAddress.getByName("fe80::1"));
        assertThat(s6.version()).isEqualTo(3);
        assertThat(s6.basePriority()).as("state MASTER without priority: address owner").isEqualTo(255);
        assertThat(s6.advertIntervalNanos()).isEqualTo(50_000_000L);
        assertThat(s6.advertIntervalField()).isEqualTo(5);
        // keepalived: "preempt delay will not work with initial state MASTER - clearing"; the reader clears it
        assertThat(s6.preemptDelayNanos()).isZero();
        ValidatorSettings vs6 = ValidatorSettings.from(v6, false, false, false);
        assertThat(vs6.ipv6()).isTrue();
        assertThat(vs6.unicast()).isTrue();
        assertThat(vs6.virtualIps()).hasSize(2);
        // the owner goes MASTER at once
        VrrpStateMachine m = new VrrpStateMachine(s6);
        m.start(0);
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
    }
}
