package io.javalived.director.status;

import io.javalived.vrrp.runtime.InstanceStatus;
import java.time.Instant;
import java.util.List;

/**
 * What {@code javalived status} shows and the metrics endpoint exports: one consistent-enough snapshot of a running
 * daemon (each part is read on its own thread; parts may differ by one event).
 *
 * @param version         javalived's version
 * @param pid             the daemon's process id
 * @param startedAt       when the daemon started
 * @param configFile      the configuration it runs
 * @param configLoadedAt  when that configuration was (re)loaded
 * @param ipvs            how IPVS is driven: {@code kernel}, {@code dry-run} (the table is computed, not programmed)
 *                        or {@code off} (no virtual servers, or --vrrp-only)
 * @param instances       the VRRP instances, in configuration order
 * @param virtualServers  the virtual servers, in configuration order
 */
public record DaemonStatus(String version, long pid, Instant startedAt, String configFile, Instant configLoadedAt,
                           String ipvs, List<InstanceStatus> instances, List<VirtualServerStatus> virtualServers) {}
