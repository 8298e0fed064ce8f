package io.javalived.netlink.ffi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * jnr-ffi's native stub ({@code libjffi-1.2.so}) from a directory kept next to the jar, instead of jffi's default: a
 * new copy extracted to {@code java.io.tmpdir} on every start (100–170 ms of a short command's start, and a start
 * that fails where /tmp is mounted noexec).
 *
 * <p>The directory is {@code javalived.native.dir} (the launcher passes {@code JAR-without-.jar.native}); without that
 * property nothing changes. The library is used from there only when the directory and the file belong to this user
 * (or root), are writable by nobody else, and the file is not older than the jar it came from; otherwise it is
 * (re)written there — a temporary file renamed over the old one — and, when that is not possible (a read-only
 * /usr, another owner), jffi's default applies. A root daemon must never load a library another user could have
 * written: hence the ownership and mode checks.
 */
public final class JffiLibraryCache {
    /** The system property naming the directory. */
    public static final String DIR_PROPERTY = "javalived.native.dir";
    /** jffi's property: directories searched for its stub before it extracts its own copy. */
    static final String JFFI_BOOT_PATH = "jffi.boot.library.path";
    static final String LIBRARY = "libjffi-1.2.so";

    private JffiLibraryCache() {
    }

    private static boolean prepared;

    /** Points jffi at the cached stub when {@link #DIR_PROPERTY} is set; call before jnr-ffi loads a library. */
    public static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isEmpty() || System.getProperty(JFFI_BOOT_PATH) != null) {
            return;
        }
        String resource = resourceName(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        if (resource == null) {
            return;
        }
        try {
            Path cached = ensure(Path.of(dir), resource, sourceJarModified(resource));
            if (cached != null) {
                System.setProperty(JFFI_BOOT_PATH, cached.getParent().toString());
            }
        } catch (IOException | RuntimeException e) {
            // jffi's own extraction still works: a slower start, nothing else
        }
    }

    /**
     * Starts jffi's own start-up on a background thread: {@link #prepare()}, then jffi's stub loader (which loads the
     * stub, and sets up java.util.logging and String.format for its log lines: ~60 ms of a short command's start on one
     * CPU). A short command that will make native calls (javalived ipvs) calls this first, so that work runs beside
     * its command-line parsing on another CPU. Harmless to skip or to call twice: the first native call waits for
     * whatever is still running, and a stub that fails to load fails that call as it would have without this.
     */
    public static void warmUpInBackground() {
        new WarmUp().start();
    }

    /** A thread, not a lambda: a short command's first lambda of a shape costs more than the thread. */
    private static final class WarmUp extends Thread {
        WarmUp() {
            super("jffi-warm-up");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                prepare();
                // the stub loader records a failure instead of throwing it: the first native call reports it
                Class.forName("com.kenai.jffi.internal.StubLoader", true, JffiLibraryCache.class.getClassLoader());
            } catch (Throwable e) {
                // the first native call meets the same problem and reports it
            }
        }
    }

    /** The stub's resource in jffi's native jar for this OS and architecture, or null where javalived does not run. */
    static String resourceName(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        String arch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        return arch == null ? null : "jni/" + arch + "-Linux/" + LIBRARY;
    }

    /**
     * The usable cached library in {@code dir}, writing it from {@code resource} when it is missing or older than
     * {@code sourceModified} (epoch ms, 0 when unknown); null when the directory cannot be trusted or written.
     */
    static Path ensure(Path dir, String resource, long sourceModified) throws IOException {
        Path file = dir.resolve(LIBRARY);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        if (!trusted(dir)) {
            return null;
        }
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && trusted(file)
                && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis() >= sourceModified) {
            return file;
        }
        try (InputStream in = JffiLibraryCache.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Path tmp = Files.createTempFile(dir, ".jffi", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return trusted(file) ? file : null;
    }

    /** Owned by this process's user or root, and writable by no one else (group and others). */
    static boolean trusted(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String owner = a.owner().getName();
        if (!owner.equals("root") && !owner.equals(System.getProperty("user.name"))) {
            return false;
        }
        Set<PosixFilePermission> perms = a.permissions();
        return !perms.contains(PosixFilePermission.GROUP_WRITE) && !perms.contains(PosixFilePermission.OTHERS_WRITE)
                && !a.isSymbolicLink();
    }

    /** When the jar holding {@code resource} was written (epoch ms), 0 when that is not known. */
    private static long sourceJarModified(String resource) {
        try {
            java.net.URL url = JffiLibraryCache.class.getClassLoader().getResource(resource);
            if (url == null || !url.getProtocol().equals("jar")) {
                return 0;
            }
            String spec = url.getPath(); // file:/path/to.jar!/jni/...
            int bang = spec.indexOf("!/");
            Path jar = Path.of(new java.net.URI(bang < 0 ? spec : spec.substring(0, bang)));
            return Files.isRegularFile(jar) ? Files.getLastModifiedTime(jar).toMillis() : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
