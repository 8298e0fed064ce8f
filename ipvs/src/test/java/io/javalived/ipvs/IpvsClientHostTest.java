package io.javalived.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Against the host kernel of these machines, which has no IPVS: opening says so plainly. */
class IpvsClientHostTest {
    @Test
    void kernelWithoutIpvsIsReportedPlainly() {
        Assumptions.assumeFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/ip_vs")),
                "this kernel has IPVS");
        assertThatThrownBy(IpvsClient::open).isInstanceOf(IpvsUnavailableException.class)
                .hasMessage("IPVS is not available in this kernel (generic netlink family IPVS not found): "
                        + "load the ip_vs module");
    }

    @Test
    void unavailableExceptionNamesENOENT() {
        IpvsUnavailableException e = new IpvsUnavailableException();
        assertThat(e.errnoName()).isEqualTo("ENOENT");
    }
}
