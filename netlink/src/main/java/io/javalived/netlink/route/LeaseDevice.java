package io.javalived.netlink.route;

import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;

/**
 * A non-persistent TUN interface held open by this process (open /dev/net/tun, TUNSETIFF IFF_TUN|IFF_NO_PI): the
 * kernel deletes it, and every route through it, when the process exits in any way — kill -9 included. Routes that
 * must not outlive the daemon (the anycast announcements) go through it, so a crashed daemon stops announcing
 * without anyone having to clean up.
 */
public final class LeaseDevice implements Closeable {
    static final long TUNSETIFF = 0x400454caL;
    static final int IFF_TUN = 0x0001, IFF_NO_PI = 0x1000, O_RDWR = 2;

    private final int fd;
    private final String name;
    private final int index;

    private LeaseDevice(int fd, String name, int index) {
        this.fd = fd;
        this.name = name;
        this.index = index;
    }

    /** Creates (attaches to) the TUN interface {@code name} and sets it up. */
    public static LeaseDevice open(String name, KernelRoutes routes) throws NativeException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length > 15) {
            throw new IllegalArgumentException("lease interface name must be 1 to 15 characters: '" + name + "'");
        }
        int fd = LibC.INSTANCE.open("/dev/net/tun", O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new NativeException("open", LibC.errno(), "/dev/net/tun (is the tun module loaded?)");
        }
        byte[] ifr = new byte[40];
        System.arraycopy(n, 0, ifr, 0, n.length);
        int flags = IFF_TUN | IFF_NO_PI;
        ifr[16] = (byte) flags;
        ifr[17] = (byte) (flags >> 8);
        if (LibC.INSTANCE.ioctl(fd, TUNSETIFF, ifr) < 0) {
            int errno = LibC.errno();
            LibC.INSTANCE.close(fd);
            throw new NativeException("ioctl(TUNSETIFF)", errno, "interface " + name
                    + (errno == Errno.EBUSY ? ": another process holds it (a second daemon?)" : ""));
        }
        int index = LibC.INSTANCE.if_nametoindex(name);
        if (index <= 0) {
            int errno = LibC.errno();
            LibC.INSTANCE.close(fd);
            throw new NativeException("if_nametoindex", errno, "interface " + name);
        }
        try {
            routes.setUp(index);
        } catch (NativeException e) {
            LibC.INSTANCE.close(fd);
            throw e;
        }
        return new LeaseDevice(fd, name, index);
    }

    public String name() {
        return name;
    }

    public int index() {
        return index;
    }

    /** Closes the descriptor: the kernel removes the interface and its routes. */
    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
    }
}
