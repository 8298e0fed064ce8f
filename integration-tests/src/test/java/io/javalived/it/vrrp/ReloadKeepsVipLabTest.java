package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reloads never drop what the master holds (keepalived 2.2.7 keeps the VIP through the same reloads): a javalived
 * MASTER (node 1, priority 150+) and Debian's keepalived BACKUP (node 2, priority 100) on the lab bridge; ten SIGHUP
 * reloads of javalived, each with a changed file: a new priority, a second VIP added or removed, a new router_id.
 * Watched from outside: {@code ip monitor address} in the master's namespace (the kept VIP is never deleted),
 * tcpdump on the master's interface (every advert after a priority change carries it, the first one right after the
 * reload; no priority-0 advert), keepalived's log (never MASTER) and javalived's notify scripts (none runs).
 */
class ReloadKeepsVipLabTest {
    static final Pattern ADVERT = Pattern.compile("^(\\d+)\\.(\\d+) IP 10\\.77\\.0\\.1 > 224\\.0\\.0\\.18: VRRPv2, "
            + "Advertisement, vrid 51, prio (\\d+)");

    static final String VIP3 = "10.77.0.102";

    private VrrpLab lab;
    private final List<Process> watchers = new ArrayList<>();

    @BeforeEach
    void up() throws Exception {
        lab = new VrrpLab(2);
    }

    @AfterEach
    void down() {
        for (Process p : watchers) {
            VrrpLab.stop(p, 3);
        }
        if (lab != null) {
            lab.close();
        }
    }

    private Process watch(Path out, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        watchers.add(p);
        return p;
    }

    private String conf(String routerId, int priority, boolean secondVip, Path notify) {
        Conf c = new Conf();
        c.routerId = routerId;
        c.priority(priority);
        c.extraInstance = "    notify_master \"" + notify + " master\"\n    notify_backup \"" + notify + " backup\"\n"
                + "    notify_fault \"" + notify + " fault\"\n";
        if (secondVip) {
            c.vip = VrrpLab.VIP + "/24 dev eth0\n        " + VrrpLab.VIP2 + "/24";
        }
        return c.text();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** (epoch millis, priority) of node 1's adverts seen so far. */
    private static List<long[]> adverts(Path dump) throws Exception {
        List<long[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(dump)) {
            Matcher m = ADVERT.matcher(line);
            if (m.find()) {
                long ms = Long.parseLong(m.group(1)) * 1000 + Long.parseLong((m.group(2) + "000").substring(0, 3));
                out.add(new long[] {ms, Integer.parseInt(m.group(3))});
            }
        }
        return out;
    }

    @Test
    void tenReloadsKeepTheVipOnTheMasterAndTheBackupBackup() throws Exception {
        Path notify = lab.dir.resolve("notify.sh");
        Path notes = lab.dir.resolve("notify.txt");
        Files.writeString(notify, "#!/bin/sh\necho \"$@\" >> " + notes + "\n");
        Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jvConf = lab.dir.resolve("jv.conf");

        Process jv = lab.javalived(1, conf("jv-r0", 150, false, notify), "jv");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> lab.hasAddress(1, VrrpLab.VIP)))
                .as("javalived becomes MASTER\n" + lab.log("jv")).isTrue();
        // keepalived drops adverts whose address list differs from its own (the second VIP) unless it skips that
        // check for the master it already knows
        Conf backup = new Conf().priority(100);
        backup.extraInstance = "    skip_check_adv_addr\n";
        Process ka = lab.keepalived(2, backup.text(), "ka");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> lab.log("ka").contains("Entering BACKUP STATE")))
                .as("keepalived BACKUP\n" + lab.log("ka")).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> Files.exists(notes)))
                .as("notify_master ran at start").isTrue();

        Path monitor = lab.dir.resolve("monitor.txt");
        Path dump = lab.dir.resolve("tcpdump.txt");
        watch(monitor, "ip", "-n", lab.ns(1), "monitor", "address");
        watch(dump, "ip", "netns", "exec", lab.ns(1), "tcpdump", "-i", "eth0", "-n", "-l", "-tt", "-U", "vrrp");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> {
            try {
                return !adverts(dump).isEmpty();
            } catch (Exception e) {
                return false;
            }
        })).as("tcpdump sees the master's adverts").isTrue();
        Thread.sleep(1500);
        String notesAtStart = Files.readString(notes);
        int transitionsAtStart = count(lab.log("jv"), "Entering ");

        int priority = 150;
        boolean second = false;
        String router = "jv-r0";
        int vipRemovals = 0;
        List<Long> priorityLatencies = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String what;
            switch (i % 3) {
                case 1 -> {
                    priority += 10;
                    what = "priority " + priority;
                }
                case 2 -> {
                    second = !second;
                    vipRemovals += second ? 0 : 1;
                    what = (second ? "add " : "remove ") + VrrpLab.VIP2;
                }
                default -> {
                    router = "jv-r" + i;
                    what = "router_id " + router;
                }
            }
            Files.writeString(jvConf, conf(router, priority, second, notify));
            long hup = System.currentTimeMillis();
            VrrpLab.sh("kill -HUP " + jv.pid());
            int done = i;
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> count(lab.log("jv"), "Reload done") >= done))
                    .as("reload " + i + " (" + what + ")\n" + lab.log("jv")).isTrue();
            boolean want2 = second;
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> lab.hasAddress(1, VrrpLab.VIP2) == want2))
                    .as("reload " + i + ": " + VrrpLab.VIP2 + (want2 ? " added" : " removed")).isTrue();
            if (i % 3 == 1) {
                int p = priority;
                assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> {
                    try {
                        return adverts(dump).stream().anyMatch(a -> a[0] >= hup && a[1] == p);
                    } catch (Exception e) {
                        return false;
                    }
                })).as("reload " + i + ": an advert with priority " + p).isTrue();
                long first = adverts(dump).stream().filter(a -> a[0] >= hup && a[1] == p).mapToLong(a -> a[0])
                        .min().orElseThrow();
                priorityLatencies.add(first - hup);
            }
            assertThat(lab.hasAddress(1, VrrpLab.VIP)).as("reload " + i + ": the VIP stays").isTrue();
            Thread.sleep(1500); // let a few adverts go by before the next reload
        }
        Thread.sleep(2000);

        String mon = Files.readString(monitor);
        String kaLog = lab.log("ka");
        String jvLog = lab.log("jv");
        String notesNow = Files.readString(notes);
        List<long[]> adv = adverts(dump);
        System.out.println("[reload-lab] priority change -> first advert with it (ms after SIGHUP): "
                + priorityLatencies + "; adverts seen " + adv.size() + "; ip monitor lines "
                + mon.lines().count() + "; notify calls at start / end: " + notesAtStart.lines().count() + " / "
                + notesNow.lines().count());
        mon.lines().forEach(l -> System.out.println("[reload-lab] ip monitor: " + l.strip()));
        jvLog.lines().filter(l -> l.contains("reload") || l.contains("Reload"))
                .forEach(l -> System.out.println("[reload-lab] javalived: " + l.strip()));

        assertThat(mon).as("the kept VIP is never deleted").doesNotContain(VrrpLab.VIP + "/24");
        assertThat(count(mon, "Deleted")).as("only the removed " + VrrpLab.VIP2 + " is deleted\n" + mon)
                .isEqualTo(vipRemovals);
        assertThat(mon.lines().filter(l -> l.startsWith("Deleted")).allMatch(l -> l.contains(VrrpLab.VIP2 + "/24")))
                .as(mon).isTrue();
        assertThat(kaLog).as("keepalived never becomes MASTER").doesNotContain("Entering MASTER STATE");
        assertThat(notesNow).as("no notify script on reload").isEqualTo(notesAtStart);
        assertThat(jvLog).doesNotContain("Restarting changed").doesNotContain("sent 0 priority");
        assertThat(count(jvLog, "Entering ")).as("no state change on reload").isEqualTo(transitionsAtStart);
        assertThat(count(jvLog, "without restart")).as("priority and VIP reloads applied in place").isEqualTo(7);
        assertThat(adv).as("no priority-0 advert").noneMatch(a -> a[1] == 0);
        assertThat(adv.get(adv.size() - 1)[1]).isEqualTo(priority);
        assertThat(priorityLatencies).allMatch(ms -> ms < 3000);
        VrrpLab.stop(jv, 10);
        VrrpLab.stop(ka, 10);
    }

    private String groupConf(int prio1, boolean secondVip, String groupNotify, int vrid2, Path notify) {
        Conf c = new Conf();
        c.extraInstance = "    notify \"" + notify + "\"\n";
        String vi1 = c.instanceText("VI_1", 51, prio1, VrrpLab.VIP + "/24");
        String vi2 = c.instanceText("VI_2", vrid2, 150, secondVip ? VIP3 + "/24" : VrrpLab.VIP2 + "/24");
        return "global_defs {\n    router_id jvg\n    vrrp_garp_master_delay 1\n}\n"
                + "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n    notify \"" + groupNotify
                + "\"\n}\n" + vi1 + vi2;
    }

    @Test
    void aSyncGroupIsUpdatedInPlaceAndRestartsOnlyWhenAMembersIdentityChanges() throws Exception {
        Path notify = lab.dir.resolve("notify.sh");
        Path notes = lab.dir.resolve("notify.txt");
        Files.writeString(notify, "#!/bin/sh\necho \"$@\" >> " + notes + "\n");
        Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jvConf = lab.dir.resolve("g.conf");
        Process jv = lab.javalived(1, groupConf(150, false, notify + " g1", 52, notify), "g");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> lab.hasAddress(1, VrrpLab.VIP)
                && lab.hasAddress(1, VrrpLab.VIP2))).as("the group becomes MASTER\n" + lab.log("g")).isTrue();
        Path monitor = lab.dir.resolve("gmonitor.txt");
        watch(monitor, "ip", "-n", lab.ns(1), "monitor", "address");
        Thread.sleep(1500);
        String notesAtStart = Files.readString(notes);

        // 1: a member's priority and the group's notify script; 2: the other member's VIP replaced
        String[] confs = {groupConf(160, false, notify + " g2", 52, notify),
            groupConf(160, true, notify + " g2", 52, notify)};
        for (int i = 0; i < confs.length; i++) {
            Files.writeString(jvConf, confs[i]);
            VrrpLab.sh("kill -HUP " + jv.pid());
            int done = i + 1;
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> count(lab.log("g"), "Reload done") >= done))
                    .as(lab.log("g")).isTrue();
            Thread.sleep(1500);
        }
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> lab.hasAddress(1, VIP3)
                && !lab.hasAddress(1, VrrpLab.VIP2))).as("VI_2's VIP replaced\n" + lab.log("g")).isTrue();
        String mon = Files.readString(monitor);
        assertThat(mon).as("VI_1's VIP kept").doesNotContain(VrrpLab.VIP + "/24");
        assertThat(Files.readString(notes)).as("no notify on in-place reloads").isEqualTo(notesAtStart);
        assertThat(lab.log("g")).contains("Applying changed vrrp_sync_group G on reload without restart")
                .doesNotContain("Restarting changed");

        // 3: VI_2's virtual_router_id changes: its identity, so the group restarts (priority 0, VIPs removed)
        Files.writeString(jvConf, groupConf(160, true, notify + " g2", 53, notify));
        VrrpLab.sh("kill -HUP " + jv.pid());
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> count(lab.log("g"), "Reload done") >= 3))
                .as(lab.log("g")).isTrue();
        assertThat(lab.log("g")).contains("Restarting changed vrrp_sync_group G on reload (VI_2: "
                + "vrrp_instance.virtualRouterId)");
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> lab.hasAddress(1, VrrpLab.VIP)))
                .as("MASTER again after the restart\n" + lab.log("g")).isTrue();
        assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> {
            try {
                return Files.readString(notes).contains("g2");
            } catch (Exception e) {
                return false;
            }
        })).as("the new group notify script runs after the restart").isTrue();
        System.out.println("[reload-lab] sync group notify calls: " + Files.readString(notes).replace('\n', '|'));
        VrrpLab.stop(jv, 10);
    }
}
