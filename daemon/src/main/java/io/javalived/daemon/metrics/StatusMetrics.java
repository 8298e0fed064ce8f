package io.javalived.daemon.metrics;

import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.StatusSource;
import io.javalived.ipvs.IpvsTable;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.TextFormatUtil;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The daemon's state as a Micrometer {@link PrometheusMeterRegistry}, refreshed at each scrape: one
 * {@link StatusSource#status()} and one {@link StatusSource#ipvsTable()} per scrape, mapped by
 * {@link StatusCollector}; a gauge or function counter per series reads the value of the latest scrape. Series that
 * are gone from the snapshot (an instance or real server removed by a reload, a service deleted from IPVS) are removed
 * from the registry, so they disappear from the next exposition. Thread-safe: scrapes are serialised.
 *
 * <p>With {@code jvm}, the registry also carries Micrometer's process and JVM meters (memory, GC pauses, threads, CPU,
 * open files, uptime), minus the two that Prometheus' linter objects to ({@code process_cpu_time_ns_total}: an
 * abbreviated unit; {@code system_cpu_count}: a {@code _count} suffix on a gauge).
 *
 * <p>{@link #snapshot()} takes the values under the lock and returns them as immutable families, which
 * {@link #write} renders one family at a time outside it: /metrics streams a scrape in chunks without holding the
 * lock, or the whole document in memory, while a client reads slowly. {@link #scrape()} is the same text in one
 * String.
 */
public final class StatusMetrics implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.javalived.metrics");

    private final StatusSource source;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The writer Micrometer's own scrape() picks for text format 0.0.4, configured the same way. */
    private static final ExpositionFormatWriter TEXT_004 = ExpositionFormats.init(
            (PrometheusConfig.DEFAULT.prometheusProperties() == null ? PrometheusPropertiesLoader.load()
                    : PrometheusPropertiesLoader.load(PrometheusConfig.DEFAULT.prometheusProperties()))
                    .getExporterProperties())
            .findWriter("text/plain; version=0.0.4; charset=utf-8"); // PrometheusMeterRegistry.Format.TEXT_004
    private final Map<Sample.SeriesKey, Series> series = new HashMap<>();
    private long ipvsReadErrors;
    private String lastIpvsError;
    private String lastStatusError;

    /** A registered meter and the value it reports. */
    private static final class Series {
        volatile double value;
        Meter meter;
    }

    private final JvmGcMetrics gc;

    /** The daemon's metrics only. */
    public StatusMetrics(StatusSource source) {
        this(source, false);
    }

    /** The daemon's metrics, and with {@code jvm} the process and JVM ones. */
    public StatusMetrics(StatusSource source, boolean jvm) {
        this.source = Objects.requireNonNull(source, "source");
        if (jvm) {
            registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                    || id.getName().equals("system.cpu.count")));
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        } else {
            gc = null;
        }
    }

    /** Stops listening to GC notifications. */
    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
    }

    /** Reads the daemon once and returns the exposition in text format 0.0.4. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            for (MetricSnapshot family : snapshot()) {
                write(out, family);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not with a ByteArrayOutputStream
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads the daemon once, updates the registry and returns every family's values as of now, in exposition order
     * (duplicates merged as the text writer does). The result is immutable: render it with {@link #write}.
     */
    public List<MetricSnapshot> snapshot() {
        MetricSnapshots all;
        synchronized (this) {
            refresh();
            all = registry.getPrometheusRegistry().scrape();
        }
        List<MetricSnapshot> families = new ArrayList<>(all.size());
        for (MetricSnapshot f : TextFormatUtil.mergeDuplicates(all)) {
            families.add(f);
        }
        return families;
    }

    /** Writes one family of a {@link #snapshot()} in text format 0.0.4 (the writer buffers, then flushes). */
    public static void write(OutputStream out, MetricSnapshot family) throws IOException {
        TEXT_004.write(out, MetricSnapshots.of(family));
    }

    /** Reads the daemon's status and IPVS table once and updates the series. */
    private void refresh() {
        DaemonStatus status = null;
        try {
            status = source.status();
            lastStatusError = null;
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.equals(lastStatusError)) {
                LOG.log(Level.WARNING, "Metrics: cannot read the daemon's status (" + msg + ")");
            }
            lastStatusError = msg;
        }
        StatusCollector.IpvsRead ipvs;
        try {
            IpvsTable t = source.ipvsTable();
            ipvs = t == null ? StatusCollector.IpvsRead.off() : StatusCollector.IpvsRead.of(t);
            if (lastIpvsError != null) {
                LOG.log(Level.INFO, "Metrics: the IPVS table reads again");
            }
            lastIpvsError = null;
        } catch (Exception e) { // NetlinkException or anything else: the scrape goes on without the table
            ipvsReadErrors++;
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (!msg.equals(lastIpvsError)) {
                LOG.log(Level.WARNING, "Metrics: cannot read the IPVS table (" + msg
                        + ") - exporting javalived_ipvs_up 0 and no node_ipvs_* series until it reads again");
            }
            lastIpvsError = msg;
            ipvs = StatusCollector.IpvsRead.failed(msg);
        }
        update(StatusCollector.collect(status, ipvs, ipvsReadErrors));
    }

    /** Registers the new series, sets every value, removes the series that are gone. */
    synchronized void update(List<Sample> samples) {
        Set<Sample.SeriesKey> keep = new HashSet<>();
        for (Sample s : samples) {
            Sample.SeriesKey key = s.key();
            keep.add(key);
            Series m = series.get(key);
            if (m == null) {
                m = new Series();
                m.value = s.value();
                try {
                    m.meter = register(s, m);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Metrics: cannot export " + s.def().name() + s.labelValues() + " ("
                            + e.getMessage() + ")");
                    continue;
                }
                series.put(key, m);
            }
            m.value = s.value();
        }
        for (Iterator<Map.Entry<Sample.SeriesKey, Series>> it = series.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Sample.SeriesKey, Series> e = it.next();
            if (!keep.contains(e.getKey())) {
                registry.remove(e.getValue().meter);
                it.remove();
            }
        }
    }

    private Meter register(Sample s, Series holder) {
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < s.labelValues().size(); i++) {
            tags.add(Tag.of(s.def().labels().get(i), s.labelValues().get(i)));
        }
        MetricDef d = s.def();
        return switch (d.type()) {
            case GAUGE -> Gauge.builder(d.name(), holder, h -> h.value).description(d.help()).tags(Tags.of(tags))
                    .strongReference(true).register(registry);
            case COUNTER -> FunctionCounter.builder(d.name(), holder, h -> h.value).description(d.help())
                    .tags(Tags.of(tags)).register(registry);
        };
    }

    /** How many series are registered now. */
    synchronized int size() {
        return series.size();
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }
}
