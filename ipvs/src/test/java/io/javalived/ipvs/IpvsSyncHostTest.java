package io.javalived.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** IpvsSync's bookkeeping is exercised against the kernel in the VM (IpvsVmTest); here only its initial state. */
class IpvsSyncHostTest {
    @Test
    void startsOwningNothing() {
        assertThat(new IpvsSync(null).owned()).isEmpty();
    }
}
