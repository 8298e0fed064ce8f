package io.javalived.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real host for {@link ConfigCheck}: interfaces of the current network namespace (/sys/class/net), users
 * (/etc/passwd), PATH lookup, and the files scripts are checked against ({@link ScriptSecurity}).
 */
public final class SystemHost implements ConfigCheck.Host {
    /** The PATH used when the environment has none. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final String path;

    public SystemHost() {
        this(System.getenv().getOrDefault("PATH", DEFAULT_PATH));
    }

    public SystemHost(String path) {
        this.path = path;
    }

    @Override
    public boolean interfaceExists(String name) {
        if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.equals(".") || name.equals("..")) {
            return false;
        }
        try {
            return Files.exists(Path.of("/sys/class/net", name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    @Override
    public boolean interfaceIsLoopback(String name) {
        if (!interfaceExists(name)) {
            return false;
        }
        try { // /sys/class/net/NAME/flags: "0x9" for lo (IFF_UP | IFF_LOOPBACK)
            String flags = Files.readString(Path.of("/sys/class/net", name, "flags")).strip();
            return (Long.decode(flags) & 0x8) != 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean userExists(String name) {
        return inDatabase("/etc/passwd", name);
    }

    @Override
    public boolean groupExists(String name) {
        return inDatabase("/etc/group", name);
    }

    private static boolean inDatabase(String file, String name) {
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            return true; // a numeric id
        }
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equals(name)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    @Override
    public boolean hostResolves(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
                int hash = line.indexOf('#');
                String[] w = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                for (int i = 1; i < w.length; i++) {
                    if (w[i].equalsIgnoreCase(name)) {
                        return true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The real file system and user database, with this host's PATH. */
    @Override
    public ScriptSecurity.Host scripts() {
        return ScriptSecurity.system(path);
    }

    @Override
    public Optional<Path> resolveExecutable(String program) {
        try {
            if (program.contains("/")) {
                Path p = Path.of(program);
                return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
            }
            for (String dir : path.split(":")) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        } catch (InvalidPathException | SecurityException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
