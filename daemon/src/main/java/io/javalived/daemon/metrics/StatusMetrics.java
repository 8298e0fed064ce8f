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
import java.lang.System.Logger.Level;
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
 */
public final class StatusMetrics implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.javalived.metrics");

    private final StatusSource source;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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
    public synchronized String scrape() {
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
        return registry.scrape();
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
