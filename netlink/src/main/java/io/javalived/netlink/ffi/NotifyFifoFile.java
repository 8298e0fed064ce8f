package io.javalived.netlink.ffi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A notify FIFO as keepalived 2.2.7 opens it (lib/notify.c fifo_open): created when missing with mode 0600 (keepalived's
 * 0644 under its default umask 0177)
 * (and then owned by the configured user/group and removed again at close), opened read-write and non-blocking, so
 * that opening never waits for a reader and a write to a full FIFO fails (the line is lost) instead of blocking.
 */
public final class NotifyFifoFile implements AutoCloseable {
    private static final int EEXIST = 17;
    private final Path path;
    private final boolean created;
    private volatile int fd;

    private NotifyFifoFile(Path path, boolean created, int fd) {
        this.path = path;
        this.created = created;
        this.fd = fd;
    }

    /** Whether {@link #open} will create {@code path} (it does not exist yet). */
    public static boolean missing(Path path) {
        return !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Creates the FIFO when missing (mode 0600, then chown to {@code uid}/{@code gid} when ≥ 0), runs
     * {@code beforeOpen} (keepalived starts the FIFO's script between creating and opening it), then opens it.
     */
    public static NotifyFifoFile open(Path path, int uid, int gid, Runnable beforeOpen) throws NativeException {
        LibC c = LibC.INSTANCE;
        String p = path.toString();
        boolean created = false;
        if (c.mkfifo(p, 0600) == 0) {
            created = true;
            if ((uid >= 0 || gid >= 0) && c.chown(p, uid, gid) != 0) {
                System.getLogger("io.javalived.notify").log(System.Logger.Level.INFO,
                        "Failed to set uid:gid for fifo " + p);
            }
        } else {
            int e = LibC.errno();
            if (e != EEXIST) {
                throw new NativeException("mkfifo", e, p);
            }
        }
        beforeOpen.run();
        int fd = c.open(p, LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK | LibC.O_NOFOLLOW);
        if (fd < 0) {
            int e = LibC.errno();
            if (created) {
                unlink(path);
            }
            throw new NativeException("open", e, p);
        }
        return new NotifyFifoFile(path, created, fd);
    }

    public Path path() {
        return path;
    }

    /** Whether this run created the FIFO (and removes it at close). */
    public boolean created() {
        return created;
    }

    /** Writes one line at once; false when it could not be written (a full FIFO, or closed). Never blocks. */
    public boolean write(byte[] line) {
        int f = fd;
        return f >= 0 && LibC.INSTANCE.write(f, line, line.length) == line.length;
    }

    /** Removes the FIFO first when this run created it (a reader looping on reopen cannot reopen it), then closes. */
    @Override
    public synchronized void close() {
        if (fd < 0) {
            return;
        }
        if (created) {
            unlink(path);
        }
        LibC.INSTANCE.close(fd);
        fd = -1;
    }

    private static void unlink(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left behind: nothing else to do
        }
    }
}
