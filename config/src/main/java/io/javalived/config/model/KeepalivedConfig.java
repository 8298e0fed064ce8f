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
        /** static_ipaddress, static_routes, static_rules: added at start, kept in every state, removed at stop. */
        List<VirtualIpAddress> staticAddresses,
        List<VirtualRoute> staticRoutes,
        List<VirtualRule> staticRules,
        /** vrrp_track_process blocks by name. */
        Map<String, TrackProcess> trackProcesses) {

    /** A configuration without static addresses, routes, rules or tracked processes. */
    public KeepalivedConfig(GlobalDefs globalDefs, Map<String, VrrpScript> vrrpScripts,
                            Map<String, TrackFile> trackFiles, List<VrrpSyncGroup> syncGroups,
                            List<VrrpInstance> vrrpInstances, Map<String, VirtualServerGroup> virtualServerGroups,
                            List<VirtualServer> virtualServers) {
        this(globalDefs, vrrpScripts, trackFiles, syncGroups, vrrpInstances, virtualServerGroups, virtualServers,
                List.of(), List.of(), List.of(), Map.of());
    }

    public KeepalivedConfig {
        trackProcesses = Collections.unmodifiableMap(new LinkedHashMap<>(trackProcesses));
        vrrpScripts = Collections.unmodifiableMap(new LinkedHashMap<>(vrrpScripts));
        trackFiles = Collections.unmodifiableMap(new LinkedHashMap<>(trackFiles));
        syncGroups = List.copyOf(syncGroups);
        vrrpInstances = List.copyOf(vrrpInstances);
        virtualServerGroups = Collections.unmodifiableMap(new LinkedHashMap<>(virtualServerGroups));
        virtualServers = List.copyOf(virtualServers);
        staticAddresses = List.copyOf(staticAddresses);
        staticRoutes = List.copyOf(staticRoutes);
        staticRules = List.copyOf(staticRules);
    }

    public Optional<VrrpInstance> vrrpInstance(String name) {
        return vrrpInstances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The sync group an instance belongs to, if any. */
    public Optional<VrrpSyncGroup> syncGroupOf(String instanceName) {
        return syncGroups.stream().filter(g -> g.members().contains(instanceName)).findFirst();
    }
}
