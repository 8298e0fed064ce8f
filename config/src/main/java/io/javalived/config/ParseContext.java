package io.javalived.config;

import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.Origin;
import io.javalived.config.model.TrackFile;
import io.javalived.config.model.VirtualServerGroup;
import io.javalived.config.model.VrrpScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the block parsers share while one configuration is read: the warnings and errors collected so far, the
 * definitions later blocks refer to (vrrp_script, track_file, virtual_server_group, bfd_instance names) and what the
 * host checks of {@link ConfigCheck} need (interfaces named, scripts run, script users).
 */
final class ParseContext {
    final List<ConfigWarning> warnings;
    final List<ConfigException> errors;

    /** vrrp_script and track_file definitions by name. */
    final Map<String, VrrpScript> scripts = new LinkedHashMap<>();
    final Map<String, TrackFile> trackFiles = new LinkedHashMap<>();
    final Map<String, io.javalived.config.model.TrackProcess> trackProcesses = new LinkedHashMap<>();
    /** Sequence number of the top-level block being read, and when each vrrp_script / track_file was defined. */
    int topSeq;
    /** keepalived numbers rules without a preference from 16384 downwards, per family. */
    int nextRulePriority4 = 16384;
    int nextRulePriority6 = 16384;
    final Map<String, Integer> definedAt = new HashMap<>();

    final Map<String, VirtualServerGroup> vsGroups = new LinkedHashMap<>();
    final Set<String> bfdInstances = new HashSet<>();

    /** Interfaces the configuration names, with where (for the interface-existence check). */
    final Map<String, Origin> interfacesNamed = new LinkedHashMap<>();
    /** Scripts the configuration would run, with where (for the script-security check). */
    final List<ScriptUse> scriptsUsed = new ArrayList<>();
    /** Every script_user line (keepalived checks each one). */
    final List<UserRef> scriptUsers = new ArrayList<>();

    record UserRef(String user, Optional<String> group, Origin origin) {}

    /** A script the configuration runs: where, and the user it names (if any). */
    record ScriptUse(NotifyScript script, Origin origin) {}

    ParseContext(List<ConfigWarning> warnings, List<ConfigException> errors) {
        this.warnings = warnings;
        this.errors = errors;
    }
}
