package io.javalived.config.model;

import java.util.List;
import java.util.Optional;

/** {@code vrrp_sync_group NAME { group { ... } ... }}. */
public record VrrpSyncGroup(
        String name,
        List<String> members,
        List<TrackedInterface> trackInterfaces,
        List<TrackedScript> trackScripts,
        List<TrackedFile> trackFiles,
        Optional<NotifyScript> notifyAny,
        Optional<NotifyScript> notifyMaster,
        Optional<NotifyScript> notifyBackup,
        Optional<NotifyScript> notifyFault,
        Optional<NotifyScript> notifyStop,
        boolean smtpAlert,
        boolean globalTracking,
        boolean syncGroupTrackingWeight,
        Origin origin,
        /** notify_priority_changes as written (empty: not set; the members then use the global one). */
        Optional<Boolean> notifyPriorityChanges,
        /** track_process entries (the members' trackers too). */
        List<TrackedProcess> trackProcesses) {
    public VrrpSyncGroup {
        members = List.copyOf(members);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackScripts = List.copyOf(trackScripts);
        trackFiles = List.copyOf(trackFiles);
        trackProcesses = List.copyOf(trackProcesses);
    }
}
