package io.javalived.cli;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * javalived's console logging: one line per message on stderr, {@code 2026-11-24 19:30:01.123 MESSAGE}, like
 * keepalived's console log. Installed as the {@link System.LoggerFinder} (META-INF/services), so it also works
 * inside JVM shutdown hooks, where java.util.logging has already been reset. INFO and above by default;
 * {@code -Djavalived.debug=true} adds DEBUG.
 */
public final class RunLogging extends System.LoggerFinder {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final PrintStream OUT = System.err;

    static void install() {
        // nothing to do: the finder is found through META-INF/services
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new ConsoleLogger(name);
    }

    static final class ConsoleLogger implements System.Logger {
        private final String name;

        ConsoleLogger(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            if (level == Level.OFF) {
                return false;
            }
            int min = Boolean.getBoolean("javalived.debug") ? Level.DEBUG.getSeverity() : Level.INFO.getSeverity();
            return level.getSeverity() >= min;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (!isLoggable(level)) {
                return;
            }
            StringBuilder sb = new StringBuilder(LocalDateTime.now().format(TS)).append(' ').append(msg);
            if (thrown != null && Boolean.getBoolean("javalived.debug")) {
                java.io.StringWriter w = new java.io.StringWriter();
                thrown.printStackTrace(new java.io.PrintWriter(w));
                sb.append('\n').append(w);
            }
            synchronized (OUT) {
                OUT.println(sb);
                OUT.flush();
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!isLoggable(level)) {
                return;
            }
            log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                    (Throwable) null);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            if (isLoggable(level)) {
                log(level, null, msgSupplier.get(), (Throwable) null);
            }
        }
    }
}
