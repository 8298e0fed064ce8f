package io.javalived.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.ipvs.IpvsClient.OpResult;
import io.javalived.ipvs.IpvsOp;
import io.javalived.inet.Protocol;
import io.javalived.ipvs.Destination;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.Service;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DryRunKernelTest {
    @Test
    void followsTheKernelsRulesForExistingAndMissingEntries() throws Exception {
        DryRunKernel k = new DryRunKernel();
        ServiceKey key = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.100"), 80);
        Service svc = Service.of(key, "rr");
        Destination rs = Destination.of(InetAddress.getByName("10.0.0.2"), 80, io.javalived.ipvs.Forwarding.MASQ, 1);
        List<OpResult> r = k.applyAll(List.of(IpvsOp.addService(svc), IpvsOp.addService(svc),
                IpvsOp.addDest(svc, rs), IpvsOp.addDest(svc, rs), IpvsOp.deleteDest(svc, rs),
                IpvsOp.deleteDest(svc, rs)));
        assertThat(r).extracting(o -> o.error() == null ? 0 : o.error().errno())
                .containsExactly(0, 17, 0, 17, 0, 2);
        k.applyAll(List.of(IpvsOp.addDest(svc, rs)));
        assertThat(k.table().services()).hasSize(1);
        assertThat(k.destinations(key)).containsExactly(rs);
        assertThat(k.readOwned(Set.of()).services().get(0).dests()).as("not owned: no destinations read").isEmpty();
        k.flush();
        assertThat(k.destinations(key)).isNull();
    }
}
