package io.javalived.it.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.checkers.CheckScheduler;
import io.javalived.director.Director;
import io.javalived.director.ScriptRunner;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.ipvs.IpvsClient;
import io.javalived.it.lab.StarLab;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Director against the real kernel (inside the IPVS VM): LVS-NAT VIP on a dummy link, two python HTTP real servers
 * and a sorry server in namespaces, a client namespace. Kill one backend: removed, requests keep succeeding; kill
 * both: the sorry server answers; restore one: it is back and the sorry server out; stop: only the owned service goes.
 */
@Tag("vm")
class DirectorVmTest {
    static final String VIP = "10.77.0.100";
    static StarLab lab;

    @BeforeAll
    static void topology() throws Exception {
        lab = new StarLab("jvdir", 77, VIP + "/32", 1, 2, 3, 9);
        cleanupIpvs();
        for (int n : new int[] {1, 2, 3}) {
            lab.serve(n);
        }
    }

    static void cleanupIpvs() throws Exception {
        StarLab.sh("ipvsadm -D -t " + VIP + ":80 2>/dev/null; ipvsadm -D -t 10.77.200.1:81 2>/dev/null; true");
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (lab != null) {
            lab.close();
        }
        cleanupIpvs();
    }

    static String sh(String script) throws Exception {
        return StarLab.sh(script);
    }

    static void waitFor(String what, BooleanSupplier c) throws InterruptedException {
        StarLab.waitFor(what, 90, c, () -> "");
    }

    static List<String> dests() {
        return StarLab.dests(VIP);
    }

    static void serve(int n) throws Exception {
        lab.serve(n);
    }

    static String get() throws Exception {
        return lab.get(9, VIP);
    }

    @Test
    void backendsKilledAndRestoredWithSorryServer() throws Exception {
        sh("ipvsadm -A -t 10.77.200.1:81 -s rr"); // not ours: must survive
        String conf = """
                virtual_server 10.77.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  sorry_server 10.77.3.2 80
                  real_server 10.77.1.2 80 {
                    HTTP_GET { url { path / status_code 200 } connect_timeout 3 retry 0 }
                  }
                  real_server 10.77.2.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                }
                """;
        KeepalivedConfig cfg = KeepalivedConfigReader.read(conf, Path.of("director-vm.conf")).config();
        try (IpvsClient ipvs = IpvsClient.open(); CheckScheduler checks = new CheckScheduler()) {
            Director d = Director.start(cfg, ipvs, checks);
            try {
                assertThat(dests()).containsExactly("10.77.1.2:80 1", "10.77.2.2:80 1");
                lab.killRealServersUntilSorryServer(VIP, 9, DirectorVmTest::waitFor);

                serve(1);
                waitFor("rs1 back, sorry server out", () -> dests().equals(List.of("10.77.1.2:80 1")));
                assertThat(get()).isEqualTo("rs1");
            } finally {
                d.close();
            }
            String table = sh("ipvsadm -Ln");
            assertThat(table).doesNotContain(VIP + ":80").contains("10.77.200.1:81");
        }
    }

    /** A restart that does not release the table (kill -9, or --dont-release-ipvs) finds it as it wants it. */
    @Test
    void restartWithoutReleaseSendsNothing() throws Exception {
        for (int n : new int[] {1, 2}) {
            if (!lab.serving(n)) {
                serve(n);
            }
        }
        String conf = """
                virtual_server 10.77.0.100 80 {
                  delay_loop 1
                  lb_algo rr
                  lb_kind NAT
                  protocol TCP
                  real_server 10.77.1.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                  real_server 10.77.2.2 80 {
                    TCP_CHECK { connect_timeout 3 retry 0 }
                  }
                }
                """;
        KeepalivedConfig cfg = KeepalivedConfigReader.read(conf, Path.of("director-vm2.conf")).config();
        Director.Options keep = new Director.Options(false, new ScriptRunner.Processes());
        try (IpvsClient ipvs = IpvsClient.open()) {
            try (CheckScheduler checks = new CheckScheduler()) {
                Director d = Director.start(cfg, Director.Kernel.of(ipvs), checks, keep);
                waitFor("both real servers in", () -> dests().equals(List.of("10.77.1.2:80 1", "10.77.2.2:80 1")));
                d.close();
            }
            assertThat(dests()).as("not released").containsExactly("10.77.1.2:80 1", "10.77.2.2:80 1");
            long sent = ipvs.changesSent();
            try (CheckScheduler checks = new CheckScheduler()) {
                Director d = Director.start(cfg, ipvs, checks);
                assertThat(d.lastResult().plan().ops()).as("restart plans no change").isEmpty();
                assertThat(ipvs.changesSent()).isEqualTo(sent);
                assertThat(dests()).containsExactly("10.77.1.2:80 1", "10.77.2.2:80 1");
                d.close();
            }
            assertThat(sh("ipvsadm -Ln")).doesNotContain(VIP + ":80");
        }
    }
}
