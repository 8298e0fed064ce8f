package io.javalived.vrrp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VrrpInstance;
import io.javalived.vrrp.net.Vmac;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** use_vmac: which VIPs go on the VMAC (keepalived 2.2.7's vrrp_complete_instance), and the VMAC's name and MAC. */
class VmacAddressesTest {
    static VrrpInstance instance(String extra) throws Exception {
        String conf = """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    %s
                    virtual_ipaddress {
                        10.0.0.100/24
                        10.0.0.101/24 dev eth0
                        10.0.0.102/24 dev eth1
                    }
                }
                """.formatted(extra);
        return KeepalivedConfigReader.read(conf, Path.of("/etc/keepalived/keepalived.conf"), "n")
                .config().vrrpInstances().get(0);
    }

    @Test
    void vipsOnTheInstanceInterfaceGoOnTheVmac() throws Exception {
        List<VirtualIpAddress> v = VrrpDaemon.onVmac(instance("use_vmac"), instance("use_vmac").virtualIpAddresses());
        assertThat(v).extracting(VirtualIpAddress::dev).containsExactly(Optional.empty(), Optional.empty(),
                Optional.of("eth1"));
        VrrpInstance plain = instance("");
        assertThat(VrrpDaemon.onVmac(plain, plain.virtualIpAddresses())).isEqualTo(plain.virtualIpAddresses());
    }

    @Test
    void nameAndVirtualMac() {
        assertThat(Vmac.defaultName(51)).isEqualTo("vrrp.51");
        assertThat(Vmac.virtualMac(51, false)).containsExactly(0, 0, 0x5e, 0, 1, 51);
        assertThat(Vmac.virtualMac(255, true)).containsExactly(0, 0, 0x5e, 0, 2, 0xff);
    }
}
