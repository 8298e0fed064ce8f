package io.javalived.ipvs;

import java.net.InetAddress;

/**
 * The connection synchronisation daemon (lvs_sync_daemon in keepalived).
 *
 * @param state          {@link Ipvs#STATE_MASTER} or {@link Ipvs#STATE_BACKUP}
 * @param interfaceName  multicast interface
 * @param syncId         sync id (0-255)
 * @param maxLength      UDP payload size, 0 = kernel default
 * @param group          multicast group, null = kernel default (224.0.0.81)
 * @param port           multicast port, 0 = default (8848)
 * @param ttl            multicast TTL, 0 = default (1)
 */
public record SyncDaemon(int state, String interfaceName, int syncId, int maxLength, InetAddress group, int port,
                         int ttl) {
    public static SyncDaemon of(int state, String interfaceName, int syncId) {
        return new SyncDaemon(state, interfaceName, syncId, 0, null, 0, 0);
    }

    public String stateName() {
        return state == Ipvs.STATE_MASTER ? "master" : state == Ipvs.STATE_BACKUP ? "backup" : "none";
    }
}
