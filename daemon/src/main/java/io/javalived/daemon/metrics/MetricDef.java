package io.javalived.daemon.metrics;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One exported metric family: its exact exposed name, type, help text and label names (every sample of a family has
 * all of them, in this order; a label with nothing to say is the empty string, as keepalived_exporter does for
 * {@code ip_address}).
 *
 * @param name   the name as scraped; counters end in {@code _total}, gauges never end in {@code _total} or
 *               {@code _info} (Prometheus' client strips those from gauges)
 * @param type   gauge or counter
 * @param help   the HELP text
 * @param labels label names, in order
 */
public record MetricDef(String name, Type type, String help, List<String> labels) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** The Prometheus type. */
    public enum Type {
        GAUGE, COUNTER;

        /** As in a {@code # TYPE} line. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public MetricDef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        labels = List.copyOf(labels);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name " + name);
        }
        if ((type == Type.COUNTER) != name.endsWith("_total") || name.endsWith("_info")) {
            throw new IllegalArgumentException("counters, and only counters, end in _total: " + name);
        }
        for (String l : labels) {
            if (!LABEL.matcher(l).matches() || l.startsWith("__")) {
                throw new IllegalArgumentException("bad label name " + l + " in " + name);
            }
        }
    }

    static MetricDef gauge(String name, String help, String... labels) {
        return new MetricDef(name, Type.GAUGE, help, List.of(labels));
    }

    static MetricDef counter(String name, String help, String... labels) {
        return new MetricDef(name, Type.COUNTER, help, List.of(labels));
    }
}
