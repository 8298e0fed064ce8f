package io.javalived.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.netlink.ffi.LibC;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Multicast notifications for real: a NETLINK_ROUTE socket opened inside a private network namespace, subscribed by
 * bind groups and by NETLINK_ADD_MEMBERSHIP, sees the link that `ip` creates there. Needs root (CI runs as root).
 */
class NetlinkNotificationTest {
    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTMGRP_LINK = 1, RTNLGRP_LINK = 1, IFLA_IFNAME = 3;
    static final String NS = "jvcnl" + ProcessHandle.current().pid();

    static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @BeforeAll
    static void netns() throws Exception {
        assertThat(sh("ip", "netns", "add", NS)).isZero();
    }

    @AfterAll
    static void cleanup() throws Exception {
        sh("ip", "netns", "del", NS);
    }

    /** Opens a socket on a thread that entered the namespace (the socket stays in it). */
    static NetlinkSocket openInNetns(int groups) throws Exception {
        FutureTask<NetlinkSocket> t = new FutureTask<>(() -> {
            int fd = LibC.INSTANCE.open("/run/netns/" + NS, LibC.O_RDONLY | LibC.O_CLOEXEC);
            assertThat(fd).isNotNegative();
            assertThat(LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET)).isZero();
            LibC.INSTANCE.close(fd);
            return NetlinkSocket.open(Netlink.NETLINK_ROUTE, groups);
        });
        new Thread(t).start();
        return t.get(20, TimeUnit.SECONDS);
    }

    static List<String> linkEvents(NetlinkSocket s, int want) throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (seen.size() < want && System.nanoTime() < deadline) {
            NlMessage m = s.receive(Duration.ofMillis(500));
            if (m != null && (m.type() == RTM_NEWLINK || m.type() == RTM_DELLINK)) {
                seen.add((m.type() == RTM_NEWLINK ? "new " : "del ") + m.attrs(16).string(IFLA_IFNAME, "?"));
            }
        }
        return seen;
    }

    @Test
    void bindGroupsAndAddMembershipBothDeliverLinkEvents() throws Exception {
        try (NetlinkSocket byBind = openInNetns(RTMGRP_LINK); NetlinkSocket byMembership = openInNetns(0)) {
            byMembership.addMembership(RTNLGRP_LINK);
            assertThat(sh("ip", "-n", NS, "link", "add", "jvcnla", "type", "veth", "peer", "name", "jvcnlb")).isZero();
            assertThat(sh("ip", "-n", NS, "link", "del", "jvcnla")).isZero();
            for (NetlinkSocket s : List.of(byBind, byMembership)) {
                List<String> ev = linkEvents(s, 4);
                assertThat(ev).contains("new jvcnla", "new jvcnlb", "del jvcnla");
            }
            // a request on a subscribed socket still gets its own answer; notifications stay queued
            NlMessage.Builder dump = NlMessage.builder(18, 0).headerBytes(new byte[16]).describe("RTM_GETLINK");
            assertThat(byBind.dump(dump)).extracting(m -> m.attrs(16).string(IFLA_IFNAME, "")).contains("lo");
            byMembership.dropMembership(RTNLGRP_LINK);
        }
    }
}
