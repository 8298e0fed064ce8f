package io.javalived.netlink.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The direct libc calls against the real kernel: results, saved errno, and the same errno LibC reads. */
class JffiCallsTest {
    @Test
    void savesErrnoOfFailedCalls() {
        assertThat(JffiCalls.close(-1)).isEqualTo(-1);
        assertThat(JffiCalls.errno()).isEqualTo(Errno.EBADF);
        assertThat(LibC.errno()).isEqualTo(Errno.EBADF); // one saved errno for both bindings
        assertThat(JffiCalls.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, 9999)).isEqualTo(-1);
        assertThat(JffiCalls.errno()).isEqualTo(Errno.EPROTONOSUPPORT);
        assertThat(JffiCalls.send(-1, 0, 0, 0)).isEqualTo(-1L);
        assertThat(JffiCalls.errno()).isEqualTo(Errno.EBADF);
    }

    @Test
    void strerrorIsTheCLibrarysText() {
        assertThat(JffiCalls.strerror(Errno.EEXIST)).isEqualTo(LibC.INSTANCE.strerror(Errno.EEXIST));
        assertThat(Errno.describe(Errno.ENOENT)).isEqualTo("ENOENT (No such file or directory)");
    }

    @Test
    void socketOptionsAndNamesGoThroughNativeMemory() {
        int fd = JffiCalls.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        long mem = JffiCalls.malloc(16);
        try {
            JffiCalls.putInt(mem, 1 << 16);
            assertThat(JffiCalls.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, mem, 4)).isZero();
            byte[] out = new byte[4];
            assertThat(LibC.INSTANCE.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, out,
                    new jnr.ffi.byref.IntByReference(4))).isZero();
            assertThat(ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(2 << 16); // doubled
            byte[] sa = new byte[12];
            sa[0] = LibC.AF_NETLINK;
            JffiCalls.putBytes(mem, sa, 0, 12);
            assertThat(JffiCalls.bind(fd, mem, 12)).isZero();
            JffiCalls.putInt(mem + 12, 12);
            assertThat(JffiCalls.getsockname(fd, mem, mem + 12)).isZero();
            assertThat(JffiCalls.getInt(mem + 12)).isEqualTo(12);
            assertThat(JffiCalls.getInt(mem + 4)).isNotZero(); // the port id the kernel assigned
            ByteBuffer pfd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            pfd.putInt(0, fd).putShort(4, LibC.POLLIN);
            assertThat(JffiCalls.poll(JffiCalls.address(pfd), 1, 1)).isZero(); // nothing to read
        } finally {
            JffiCalls.free(mem);
            JffiCalls.shutdown(fd, LibC.SHUT_RDWR); // netlink sockets have no shutdown: EOPNOTSUPP, harmless
            assertThat(JffiCalls.close(fd)).isZero();
        }
    }
}
