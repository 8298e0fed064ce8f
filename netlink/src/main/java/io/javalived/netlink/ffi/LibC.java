package io.javalived.netlink.ffi;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;

/**
 * The libc calls javalived makes. Every call saves errno ({@link SaveError}); read it with {@link #errno()} right after
 * the call, on the same thread. Socket addresses and options are passed as plain byte arrays laid out as the kernel
 * expects.
 *
 * <p>Add new functions here (append; keep this the only jnr-ffi libc binding in the project). Netlink sockets use
 * {@link JffiCalls} instead (the same calls through jffi directly: a short command need not bind this interface).
 */
public interface LibC {
    int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17;
    int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3;
    int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1, SOL_IP = 0, SOL_IPV6 = 41, SOL_PACKET = 263, SOL_NETLINK = 270;
    int SO_REUSEADDR = 2, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_BINDTODEVICE = 25, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21,
            SO_RCVBUFFORCE = 33, SO_SNDBUFFORCE = 32;
    int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    int MSG_DONTWAIT = 0x40, MSG_PEEK = 0x2, MSG_TRUNC = 0x20;
    short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;

    @SaveError int socket(int domain, int type, int protocol);

    @SaveError int bind(int fd, @In byte[] addr, int addrlen);

    @SaveError int connect(int fd, @In byte[] addr, int addrlen);

    @SaveError int getsockname(int fd, @Out byte[] addr, IntByReference addrlen);

    @SaveError long send(int fd, @In byte[] buf, long len, int flags);

    @SaveError long sendto(int fd, @In byte[] buf, long len, int flags, @In byte[] addr, int addrlen);

    @SaveError long recv(int fd, @Out byte[] buf, long len, int flags);

    @SaveError long recvfrom(int fd, @Out byte[] buf, long len, int flags, @Out byte[] addr, IntByReference addrlen);

    @SaveError int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

    @SaveError int getsockopt(int fd, int level, int optname, @Out byte[] optval, IntByReference optlen);

    /** {@code fds} is an array of struct pollfd (8 bytes each: int fd, short events, short revents). */
    @SaveError int poll(byte[] fds, long nfds, int timeoutMillis);

    @SaveError int shutdown(int fd, int how);

    @SaveError int close(int fd);

    @SaveError int if_nametoindex(String name);

    String strerror(int errnum);

    int getpid();

    int geteuid();

    /** recvmsg(2) with a native struct msghdr (x86_64 layout, 56 bytes). Appended for raw VRRP sockets. */
    @SaveError long recvmsg(int fd, jnr.ffi.Pointer msghdr, int flags);

    /** ioctl(2) with a byte-array argument (struct ifreq and friends). */
    @SaveError int ioctl(int fd, long request, @In @Out byte[] arg);

    int O_RDONLY = 0, O_CLOEXEC = 0x80000, CLONE_NEWNET = 0x40000000;

    /** open(2), e.g. /run/netns/NAME for {@link #setns}. */
    @SaveError int open(String path, int flags);

    /** setns(2): moves the calling thread into the namespace behind {@code fd} (tests and `ip netns`-like use). */
    @SaveError int setns(int fd, int nstype);

    int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2;

    /** sched_setscheduler(2); pid 0 = the calling thread. {@code param} is struct sched_param (int priority). */
    @SaveError int sched_setscheduler(int pid, int policy, @In byte[] param);

    int O_RDWR = 2, O_NONBLOCK = 0x800, O_NOFOLLOW = 0x20000;

    /** mkfifo(3). Appended for notify FIFOs. */
    @SaveError int mkfifo(String path, int mode);

    /** write(2). */
    @SaveError long write(int fd, @In byte[] buf, long len);

    /** chown(2); -1 leaves that id as it is. */
    @SaveError int chown(String path, int uid, int gid);

    /** The loaded library, shared by every caller. */
    LibC INSTANCE = Loader.load();

    /** Loads libc once jffi's stub is found ({@link JffiLibraryCache}). */
    final class Loader {
        private Loader() {
        }

        static LibC load() {
            JffiLibraryCache.prepare();
            return LibraryLoader.create(LibC.class).load("c");
        }
    }

    /** errno as saved by the last {@link SaveError} call on this thread. */
    static int errno() {
        return Runtime.getRuntime(INSTANCE).getLastError();
    }
}
