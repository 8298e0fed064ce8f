package io.javalived.netlink.ffi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JffiLibraryCacheTest {
    static final String RES = JffiLibraryCache.resourceName("Linux", System.getProperty("os.arch"));

    @TempDir
    Path tmp;

    @Test
    void resourceNamesFollowJffisLayout() {
        assertEquals("jni/x86_64-Linux/libjffi-1.2.so", JffiLibraryCache.resourceName("Linux", "amd64"));
        assertEquals("jni/aarch64-Linux/libjffi-1.2.so", JffiLibraryCache.resourceName("Linux", "aarch64"));
        assertNull(JffiLibraryCache.resourceName("Linux", "s390x"));
        assertNull(JffiLibraryCache.resourceName("Mac OS X", "amd64"));
    }

    @Test
    void writesTheStubOnceAndReusesIt() throws Exception {
        Path dir = tmp.resolve("javalived.native");
        Path lib = JffiLibraryCache.ensure(dir, RES, 0);
        assertNotNull(lib);
        byte[] expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RES)) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, Files.readAllBytes(lib));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib)));
        FileTime written = Files.getLastModifiedTime(lib);
        Files.setLastModifiedTime(lib, FileTime.fromMillis(written.toMillis() - 5_000));
        FileTime aged = Files.getLastModifiedTime(lib);
        assertEquals(lib, JffiLibraryCache.ensure(dir, RES, aged.toMillis() - 1)); // newer than its jar: kept
        assertEquals(aged, Files.getLastModifiedTime(lib));
        assertEquals(lib, JffiLibraryCache.ensure(dir, RES, aged.toMillis() + 1)); // older than its jar: rewritten
        assertEquals(1, Files.list(dir).count(), "no temporary file left behind");
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(JffiLibraryCache.ensure(dir, RES, 0));
        assertEquals(0, Files.list(dir).count());
    }

    @Test
    void aLibraryOthersCanWriteIsReplaced() throws Exception {
        Path dir = tmp.resolve("n");
        Path lib = JffiLibraryCache.ensure(dir, RES, 0);
        Files.write(lib, new byte[] {1, 2, 3});
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals(lib, JffiLibraryCache.ensure(dir, RES, 0));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib)));
        assertEquals(true, Files.size(lib) > 3);
    }

    @Test
    void aSymlinkInPlaceOfTheLibraryIsReplacedNotFollowed() throws Exception {
        Path dir = tmp.resolve("s");
        Files.createDirectories(dir);
        Path elsewhere = Files.write(tmp.resolve("elsewhere.so"), new byte[] {9});
        Files.createSymbolicLink(dir.resolve("libjffi-1.2.so"), elsewhere);
        Path lib = JffiLibraryCache.ensure(dir, RES, 0);
        assertNotNull(lib);
        assertEquals(false, Files.isSymbolicLink(lib));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(elsewhere));
    }
}
