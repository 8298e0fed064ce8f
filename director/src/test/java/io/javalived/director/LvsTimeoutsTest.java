package io.javalived.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.GlobalDefs;
import io.javalived.ipvs.IpvsTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** lvs_timeouts: set at start and reload, unset values from the kernel's originals, originals back when removed. */
class LvsTimeoutsTest {
    /** The kernel's rules: 0 leaves a value unchanged; reads counted. */
    static final class FakeKernel implements LvsTimeouts.Kernel {
        IpvsTimeouts now = new IpvsTimeouts(900, 120, 300);
        int reads;
        final List<IpvsTimeouts> sets = new ArrayList<>();

        public IpvsTimeouts timeouts() {
            reads++;
            return now;
        }

        public void setTimeouts(IpvsTimeouts t) {
            sets.add(t);
            now = new IpvsTimeouts(t.tcp() > 0 ? t.tcp() : now.tcp(), t.tcpFin() > 0 ? t.tcpFin() : now.tcpFin(),
                    t.udp() > 0 ? t.udp() : now.udp());
        }
    }

    static GlobalDefs.LvsTimeouts cfg(Integer tcp, Integer fin, Integer udp) {
        return new GlobalDefs.LvsTimeouts(Optional.ofNullable(tcp).map(Duration::ofSeconds),
                Optional.ofNullable(fin).map(Duration::ofSeconds), Optional.ofNullable(udp).map(Duration::ofSeconds));
    }

    @Test
    void unsetValuesAreTheOriginalsAndStopRestoresThem() throws Exception {
        FakeKernel k = new FakeKernel();
        k.now = new IpvsTimeouts(800, 100, 200); // set by the operator before javalived started
        LvsTimeouts t = new LvsTimeouts();
        assertThat(t.apply(cfg(7200, null, null), k)).isEqualTo(new IpvsTimeouts(7200, 100, 200));
        assertThat(k.now).isEqualTo(new IpvsTimeouts(7200, 100, 200));
        // reload with another set: the originals read once, not the values javalived set
        assertThat(t.apply(cfg(null, 30, 60), k)).isEqualTo(new IpvsTimeouts(800, 30, 60));
        assertThat(k.reads).isEqualTo(1);
        assertThat(t.restore(k)).isEqualTo(new IpvsTimeouts(800, 100, 200));
        assertThat(k.now).isEqualTo(new IpvsTimeouts(800, 100, 200));
    }

    @Test
    void withoutLvsTimeoutsNothingIsReadOrSetUntilChanged() throws Exception {
        FakeKernel k = new FakeKernel();
        LvsTimeouts t = new LvsTimeouts();
        assertThat(t.apply(GlobalDefs.LvsTimeouts.UNSET, k)).isNull();
        assertThat(t.restore(k)).isNull();
        assertThat(k.reads).isZero();
        assertThat(k.sets).isEmpty();
        // a reload adds lvs_timeouts, the next one removes them: the originals come back
        t.apply(cfg(60, null, null), k);
        assertThat(k.now.tcp()).isEqualTo(60);
        assertThat(t.apply(GlobalDefs.LvsTimeouts.UNSET, k)).isEqualTo(new IpvsTimeouts(900, 120, 300));
        assertThat(k.now).isEqualTo(new IpvsTimeouts(900, 120, 300));
    }
}
