package io.javalived.netlink.ffi;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.nio.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The libc calls of a netlink socket (and {@code strerror}), made through jffi directly: no jnr-ffi interface binding.
 * Binding {@link LibC} costs a short command (javalived ipvs status) most of its native start - jnr-ffi's provider,
 * type mappers, annotation proxies and one reflective invoker per method - while a call here is a symbol address and a
 * prepared call context. Memory arguments are native addresses: a direct buffer's ({@link #address(Buffer)}) or
 * {@link #malloc}'s.
 *
 * <p>Every call except {@link #strerror} saves errno: read it with {@link #errno()} right after the call, on the same
 * thread (it is the same saved errno as {@link LibC#errno()}). x86_64 / aarch64 Linux: every argument is an integer or
 * a pointer, passed in a register.
 */
public final class JffiCalls {
    private static final Invoker INVOKER;
    private static final MemoryIO MEMORY;
    private static final long SOCKET, BIND, GETSOCKNAME, SEND, RECVMSG, SETSOCKOPT, POLL, SHUTDOWN, CLOSE, STRERROR,
            SIGACTION;
    private static final CallContext I_III, I_IPI, I_IPP, L_IPLI, L_IPI, I_IIIPI, I_PLI, I_II, I_I, P_I;

    static {
        JffiLibraryCache.prepare(); // before jffi loads its native stub
        INVOKER = Invoker.getInstance();
        MEMORY = MemoryIO.getInstance();
        Library libc = Library.getDefault(); // the JVM's own libc: no library search
        SOCKET = symbol(libc, "socket");
        BIND = symbol(libc, "bind");
        GETSOCKNAME = symbol(libc, "getsockname");
        SEND = symbol(libc, "send");
        RECVMSG = symbol(libc, "recvmsg");
        SETSOCKOPT = symbol(libc, "setsockopt");
        POLL = symbol(libc, "poll");
        SHUTDOWN = symbol(libc, "shutdown");
        CLOSE = symbol(libc, "close");
        STRERROR = symbol(libc, "strerror");
        SIGACTION = symbol(libc, "sigaction");
        Type i = Type.SINT, l = Type.SLONG, p = Type.POINTER;
        I_III = context(i, true, i, i, i);
        I_IPI = context(i, true, i, p, i);
        I_IPP = context(i, true, i, p, p);
        L_IPLI = context(l, true, i, p, l, i);
        L_IPI = context(l, true, i, p, i);
        I_IIIPI = context(i, true, i, i, i, p, i);
        I_PLI = context(i, true, p, l, i);
        I_II = context(i, true, i, i);
        I_I = context(i, true, i);
        P_I = context(p, false, i);
    }

    private JffiCalls() {
    }

    private static long symbol(Library lib, String name) {
        long a = lib == null ? 0 : lib.getSymbolAddress(name);
        if (a == 0) {
            throw new UnsatisfiedLinkError("libc function " + name + " not found: " + Library.getLastError());
        }
        return a;
    }

    private static CallContext context(Type result, boolean saveErrno, Type... params) {
        return CallContext.getCallContext(result, params, CallingConvention.DEFAULT, saveErrno);
    }

    /** errno as saved by the last call on this thread. */
    public static int errno() {
        return LastError.getInstance().get();
    }

    public static int socket(int domain, int type, int protocol) {
        return (int) INVOKER.invokeN3(I_III, SOCKET, domain, type, protocol);
    }

    public static int bind(int fd, long addr, int len) {
        return (int) INVOKER.invokeN3(I_IPI, BIND, fd, addr, len);
    }

    /** {@code len} points to an int holding the room at {@code addr}; the kernel writes the address's length there. */
    public static int getsockname(int fd, long addr, long len) {
        return (int) INVOKER.invokeN3(I_IPP, GETSOCKNAME, fd, addr, len);
    }

    public static long send(int fd, long buf, long len, int flags) {
        return INVOKER.invokeN4(L_IPLI, SEND, fd, buf, len, flags);
    }

    /** {@code msghdr}: a native struct msghdr (56 bytes on 64-bit Linux). */
    public static long recvmsg(int fd, long msghdr, int flags) {
        return INVOKER.invokeN3(L_IPI, RECVMSG, fd, msghdr, flags);
    }

    public static int setsockopt(int fd, int level, int name, long value, int len) {
        return (int) INVOKER.invokeN5(I_IIIPI, SETSOCKOPT, fd, level, name, value, len);
    }

    /** {@code fds}: native struct pollfd entries (8 bytes each: int fd, short events, short revents). */
    public static int poll(long fds, long nfds, int timeoutMillis) {
        return (int) INVOKER.invokeN3(I_PLI, POLL, fds, nfds, timeoutMillis);
    }

    public static int shutdown(int fd, int how) {
        return (int) INVOKER.invokeN2(I_II, SHUTDOWN, fd, how);
    }

    public static int close(int fd) {
        return (int) INVOKER.invokeN1(I_I, CLOSE, fd);
    }

    /**
     * sigaction(2): {@code act} and {@code oldact} are native struct sigaction addresses (0 for none), laid out as
     * {@link SignalDisposition} says.
     */
    public static int sigaction(int sig, long act, long oldact) {
        return (int) INVOKER.invokeN3(I_IPP, SIGACTION, sig, act, oldact);
    }

    /** The C library's text for an errno ("File exists"), or null. */
    public static String strerror(int errnum) {
        long s = INVOKER.invokeN1(P_I, STRERROR, errnum);
        return s == 0 ? null : new String(MEMORY.getZeroTerminatedByteArray(s), StandardCharsets.UTF_8);
    }

    /** The native address of a direct buffer (which must stay reachable while native code uses it). */
    public static long address(Buffer direct) {
        return MEMORY.getDirectBufferAddress(direct);
    }

    /** malloc(3), zeroed; pair with {@link #free}. Throws OutOfMemoryError when it fails. */
    public static long malloc(long size) {
        long a = MEMORY.allocateMemory(size, true);
        if (a == 0) {
            throw new OutOfMemoryError("malloc(" + size + ") failed");
        }
        return a;
    }

    public static void free(long address) {
        if (address != 0) {
            MEMORY.freeMemory(address);
        }
    }

    public static void putBytes(long address, byte[] src, int offset, int length) {
        MEMORY.putByteArray(address, src, offset, length);
    }

    public static void getBytes(long address, byte[] dst, int offset, int length) {
        MEMORY.getByteArray(address, dst, offset, length);
    }

    public static int getInt(long address) {
        return MEMORY.getInt(address);
    }

    public static void putInt(long address, int value) {
        MEMORY.putInt(address, value);
    }

    public static long getLong(long address) {
        return MEMORY.getLong(address);
    }

    public static void putLong(long address, long value) {
        MEMORY.putLong(address, value);
    }
}
