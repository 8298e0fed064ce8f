package io.javalived.vrrp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** notify_priority_changes: the instance's, else its sync group's, else vrrp_notify_priority_changes (keepalived). */
class NotifyPriorityChangesTest {
    private static boolean changes(String global, String group, String instance) throws Exception {
        String text = "global_defs {\n" + global + "}\n"
                + "vrrp_sync_group G {\n    group {\n        A\n        B\n    }\n" + group + "}\n"
                + inst("A", 1, instance) + inst("B", 2, "");
        KeepalivedConfig c = KeepalivedConfigReader.read(text, Path.of("k.conf")).config();
        return VrrpDaemon.notifyPriorityChanges(c, c.vrrpInstances().get(0));
    }

    private static String inst(String name, int id, String extra) {
        return "vrrp_instance " + name + " {\n    interface lo\n    virtual_router_id " + id
                + "\n    priority 100\n" + extra + "    virtual_ipaddress {\n        10.9.9." + id + "\n    }\n}\n";
    }

    @Test
    void instanceThenSyncGroupThenGlobal() throws Exception {
        assertThat(changes("", "", "")).isFalse();
        assertThat(changes("    vrrp_notify_priority_changes\n", "", "")).isTrue();
        assertThat(changes("    vrrp_notify_priority_changes\n", "    notify_priority_changes false\n", "")).isFalse();
        assertThat(changes("", "    notify_priority_changes\n", "")).isTrue();
        assertThat(changes("", "    notify_priority_changes\n", "    notify_priority_changes false\n")).isFalse();
        assertThat(changes("    vrrp_notify_priority_changes false\n", "", "    notify_priority_changes\n")).isTrue();
    }
}
