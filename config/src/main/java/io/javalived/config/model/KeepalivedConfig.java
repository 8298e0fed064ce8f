package io.javalived.config.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A whole keepalived.conf (with its includes), validated, defaults resolved. */
public record KeepalivedConfig(
        GlobalDefs globalDefs,
        Map<String, VrrpScript> vrrpScripts,
        Map<String, TrackFile> trackFiles,
        List<VrrpSyncGroup> syncGroups,
        List<VrrpInstance> vrrpInstances,
        Map<String, VirtualServerGroup> virtualServerGroups,
        List<VirtualServer> virtualServers,
        /** vrrp_track_process blocks by name. */
        Map<String, TrackProcess> trackProcesses) {

    public KeepalivedConfig(GlobalDefs globalDefs, Map<String, VrrpScript> vrrpScripts,
                            Map<String, TrackFile> trackFiles, List<VrrpSyncGroup> syncGroups,
                            List<VrrpInstance> vrrpInstances, Map<String, VirtualServerGroup> virtualServerGroups,
                            List<VirtualServer> virtualServers) {
        this(globalDefs, vrrpScripts, trackFiles, syncGroups, vrrpInstances, virtualServerGroups, virtualServers,
                Map.of());
    }

    public KeepalivedConfig {
        trackProcesses = Collections.unmodifiableMap(new LinkedHashMap<>(trackProcesses));
        vrrpScripts = Collections.unmodifiableMap(new LinkedHashMap<>(vrrpScripts));
        trackFiles = Collections.unmodifiableMap(new LinkedHashMap<>(trackFiles));
        syncGroups = List.copyOf(syncGroups);
        vrrpInstances = List.copyOf(vrrpInstances);
        virtualServerGroups = Collections.unmodifiableMap(new LinkedHashMap<>(virtualServerGroups));
        virtualServers = List.copyOf(virtualServers);
    }

    public Optional<VrrpInstance> vrrpInstance(String name) {
        return vrrpInstances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The sync group an instance belongs to, if any. */
    public Optional<VrrpSyncGroup> syncGroupOf(String instanceName) {
        return syncGroups.stream().filter(g -> g.members().contains(instanceName)).findFirst();
    }
}
