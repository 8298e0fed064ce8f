package io.javalived.netlink.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibCTest {
    @Test
    void savesErrnoOfAFailedCall() {
        int rc = LibC.INSTANCE.close(-1);
        assertThat(rc).isEqualTo(-1);
        assertThat(LibC.errno()).isEqualTo(Errno.EBADF);
        assertThat(Errno.describe(Errno.EBADF)).startsWith("EBADF (").contains("file descriptor");
    }

    @Test
    void resolvesLoopbackIndex() {
        assertThat(LibC.INSTANCE.if_nametoindex("lo")).isPositive();
        assertThat(LibC.INSTANCE.if_nametoindex("no-such-if0")).isZero();
    }
}
