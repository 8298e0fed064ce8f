package io.javalived.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTextTest {
    @Test
    void neighbourMacOfAUsableEntryOnly() {
        assertThat(DemoText.neighbourMac("10.255.0.100 lladdr 02:00:0A:FF:00:01 REACHABLE\n"))
                .isEqualTo("02:00:0a:ff:00:01");
        assertThat(DemoText.neighbourMac("10.255.0.100 lladdr 02:00:0a:ff:00:02 STALE\n"))
                .isEqualTo("02:00:0a:ff:00:02");
        assertThat(DemoText.neighbourMac("10.255.0.100  FAILED\n")).isNull();
        assertThat(DemoText.neighbourMac("10.255.0.100  INCOMPLETE\n")).isNull();
        assertThat(DemoText.neighbourMac("")).isNull();
    }

    @Test
    void linkMac() {
        assertThat(DemoText.linkMac("2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP "
                + "mode DEFAULT group default qlen 1000\n    link/ether 02:00:0a:ff:00:0b brd ff:ff:ff:ff:ff:ff "
                + "link-netns jvdemo-1-switch\n")).isEqualTo("02:00:0a:ff:00:0b");
        assertThat(DemoText.linkMac("1: lo: <LOOPBACK>\n    link/loopback 00:00:00:00:00:00")).isNull();
    }

    @Test
    void hasAddressMatchesTheWholeAddress() {
        String out = "2: eth0    inet 10.255.0.1/24 scope global eth0\\       valid_lft forever\n"
                + "2: eth0    inet 10.255.0.100/24 scope global secondary eth0\\       valid_lft forever\n";
        assertThat(DemoText.hasAddress(out, "10.255.0.100")).isTrue();
        assertThat(DemoText.hasAddress(out, "10.255.0.1")).isTrue();
        assertThat(DemoText.hasAddress(out, "10.255.0.10")).isFalse();
        assertThat(DemoText.hasAddress("2: eth0    inet 10.255.0.1/24 scope global eth0", "10.255.0.100")).isFalse();
    }

    @Test
    void httpBody() {
        assertThat(DemoText.httpBody("HTTP/1.1 200 OK\r\nContent-length: 10\r\n\r\nbackend 1\n")).isEqualTo("backend 1");
        assertThat(DemoText.httpBody("HTTP/1.0 200 OK\n\nbackend 2\nmore\n")).isEqualTo("backend 2");
        assertThat(DemoText.httpBody("HTTP/1.1 503 Service Unavailable\r\n\r\ndown")).isEqualTo("HTTP 503");
        assertThat(DemoText.httpBody("")).isEqualTo("empty answer");
        assertThat(DemoText.httpBody("garbage")).isEqualTo("malformed answer");
        assertThat(DemoText.httpBody("SSH-2.0\r\n\r\n")).isEqualTo("malformed answer");
    }

    @Test
    void keepalivedLines() {
        assertThat(DemoText.entersState("2026-11-24 22:02:20.001 VRRP_Instance(VI_1) Entering MASTER STATE", "VI_1",
                "MASTER")).isTrue();
        assertThat(DemoText.entersState("(VI_1) Entering BACKUP STATE (init)", "VI_1", "BACKUP")).isTrue();
        assertThat(DemoText.entersState("(VI_10) Entering MASTER STATE", "VI_1", "MASTER")).isFalse();
        assertThat(DemoText.entersState("(VI_1) Entering BACKUP STATE", "VI_1", "MASTER")).isFalse();
        String rm = "2026-11-24 22:02:26.1 Removing service [10.255.0.12]:tcp:80 from VS [10.255.0.100]:tcp:80";
        assertThat(DemoText.removesService(rm, "10.255.0.12", 80, "10.255.0.100", 80)).isTrue();
        assertThat(DemoText.removesService(rm, "10.255.0.11", 80, "10.255.0.100", 80)).isFalse();
        assertThat(DemoText.removesService(rm.replace("Removing", "Shutting down"), "10.255.0.12", 80,
                "10.255.0.100", 80)).isFalse();
    }

    @Test
    void linesFromAnOffset() {
        String log = "a MASTER\nb x\nc MASTER\n";
        assertThat(DemoText.lines(log, 0, l -> l.contains("MASTER"))).containsExactly("a MASTER", "c MASTER");
        assertThat(DemoText.lines(log, 9, l -> l.contains("MASTER"))).containsExactly("c MASTER");
        assertThat(DemoText.lines(log, 1000, l -> true)).isEmpty();
    }

    @Test
    void indentAndIpvsAnswer() {
        assertThat(DemoText.indent("a\n\nb\n", 2)).isEqualTo("  a\n\n  b");
        assertThat(DemoText.ipvsListing("ipvs dry-run\nIP Virtual Server version 1.2.1 (size=4096)\n"))
                .isEqualTo("IP Virtual Server version 1.2.1 (size=4096)\n");
        assertThat(DemoText.ipvsListing("ipvs off\n")).isNull();
        assertThat(DemoText.ipvsListing("something else")).isNull();
    }

    @Test
    void stripTimestampAndHeader() {
        assertThat(DemoCommand.stripTimestamp("2026-11-24 22:02:28.170 VRRP_Instance(VI_1) Stopped"))
                .isEqualTo("VRRP_Instance(VI_1) Stopped");
        assertThat(DemoCommand.stripTimestamp("no timestamp")).isEqualTo("no timestamp");
        assertThat(DemoCommand.withoutHeader("! c\n!\n\nglobal_defs {\n}\n! tail")).isEqualTo("global_defs {\n}\n! tail");
    }

    @Test
    void javaCommandUsesThisJvmAndNamesTheLab() {
        List<String> cmd = DemoCommand.javaCommand(new LabPlan(42), List.of("-Xmx16m"), WebBackend.class.getName(),
                List.of("80", "backend 1"));
        assertThat(cmd.get(0)).endsWith("java");
        assertThat(cmd).contains("-Djavalived.demo.lab=jvdemo-42-", "-Xmx16m")
                .endsWith(WebBackend.class.getName(), "80", "backend 1");
        // from a classes directory (this test), the class path is used, never -jar
        assertThat(cmd).doesNotContain("-jar").contains("-cp");
    }
}
