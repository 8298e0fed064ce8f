package io.javalived.vrrp.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A point-in-time view of one running VRRP instance, for {@code javalived status} and the metrics endpoint.
 *
 * @param state             INIT, BACKUP, MASTER, FAULT or STOP
 * @param basePriority      the configured priority
 * @param effectivePriority base plus tracker weights, as sent in adverts (255 for an address owner)
 * @param virtualIps        the virtual_ipaddress entries as {@code address/prefix dev IF}
 * @param stateSince        when the instance entered its state (wall clock)
 * @param masterSince       when it became MASTER, null unless MASTER
 * @param syncGroup         its vrrp_sync_group, null when none
 * @param counters          keepalived's statistics names ({@link io.javalived.vrrp.packet.VrrpCounters}) to values
 */
public record InstanceStatus(String name, String interfaceName, int vrid, int version, String state,
                             int basePriority, int effectivePriority, List<String> virtualIps, Instant stateSince,
                             Instant masterSince, String syncGroup, List<TrackerStatus> trackers,
                             Map<String, Long> counters) {

    /**
     * One tracker of the instance.
     *
     * @param kind   script, interface or file
     * @param good   the tracker's state (script succeeding, interface up, file value 0)
     * @param weight the configured weight (0: FAULT while bad)
     * @param effect the priority offset it contributes now
     * @param fault  whether it holds the instance in FAULT now
     * @param detail a value worth showing (the file's number), or null
     */
    public record TrackerStatus(String kind, String name, boolean good, int weight, boolean reverse, int effect,
                                boolean fault, String detail) {}
}
