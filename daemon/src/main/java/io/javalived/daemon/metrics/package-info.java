/**
 * Prometheus {@code /metrics} of {@code javalived run}: {@link io.javalived.daemon.metrics.MetricsServer} (HTTP/1.x on
 * Netty with request/idle/answer deadlines and a connection cap; the scrape streamed in chunks; address parsing), {@link io.javalived.daemon.metrics.StatusMetrics} (a Micrometer PrometheusMeterRegistry refreshed from one
 * daemon snapshot per scrape), {@link io.javalived.daemon.metrics.StatusCollector} (the pure mapping from the snapshot and
 * the IPVS table to samples), {@link io.javalived.daemon.metrics.Catalog} (every metric: name, type, help, labels) and
 * {@link io.javalived.daemon.metrics.ExpositionParser} (a strict text-format 0.0.4 parser for tests and tools).
 *
 * <p>Every metric, its type, labels and meaning are documented in {@code METRICS.md} in this directory: VRRP under
 * keepalived_exporter's names, real server health / failed checkers / consecutive failures / last check duration /
 * last failure class, virtual server quorum and real servers up, IPVS under node_exporter's names and labels.
 */
package io.javalived.daemon.metrics;
