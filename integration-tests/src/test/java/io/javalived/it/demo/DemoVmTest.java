package io.javalived.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code javalived demo} on a kernel with IPVS (run by integration-tests/run-vm-tests.sh inside the IPVS VM): the
 * directors program the kernel (no --ipvs-dry-run), the client's connections to the VIP are balanced round robin
 * over both web servers by director A, go to web 1 only once web 2's checks fail, and reach web 1 through director B
 * after the failover. The VM's emulated CPU makes JVMs about 30x slower: the demo's waits are stretched
 * (--wait-factor 10). Measured: about 80 s for the demo in the VM (JVM starts dominate).
 */
@Tag("vm")
class DemoVmTest {
    @Test
    void demoProgramsTheKernelsIpvsAndTrafficFollows() throws Exception {
        Path top = Path.of(DemoCleanCheckoutTest.sh(Path.of(System.getProperty("user.dir")), 30, "git",
                "rev-parse", "--show-toplevel").strip());
        // run-vm-tests.sh passes a private copy of the jar (-Djavalived.jar)
        String jar = System.getProperty("javalived.jar", top.resolve("cli/target/javalived.jar").toString());
        assertThat(Path.of(jar)).as("build the jar first (mvn install)").exists();
        assertThat(Files.exists(Path.of("/proc/net/ip_vs"))).as("this test runs where ip_vs is loaded").isTrue();
        // the launcher's default ZGC would conflict with a GC chosen in JAVA_TOOL_OPTIONS (the VM runner sets one)
        DemoCleanCheckoutTest.Demo d = DemoCleanCheckoutTest.Demo.start(top,
                java.util.Map.of("JAVALIVED_JAR", jar, "JAVALIVED_JAVA_OPTS", "-Xmx256m"), "--wait-factor", "10");
        try {
            boolean done = d.process.waitFor(15, TimeUnit.MINUTES);
            String out = d.output();
            System.out.println(out);
            assertThat(done).as("the demo finished; output:\n" + out).isTrue();
            assertThat(d.process.exitValue()).as("exit code; output:\n" + out).isZero();
            assertThat(out).contains("This kernel has IPVS")
                    .doesNotContain("--ipvs-dry-run")
                    .contains("TCP  10.255.0.100:80 rr")
                    .containsPattern("client -> http://10\\.255\\.0\\.100/ : (backend [12], ){3}backend [12]")
                    .contains("Removing service [10.255.0.12]:tcp:80 from VS [10.255.0.100]:tcp:80")
                    .contains("client -> http://10.255.0.100/ : backend 1, backend 1")
                    .contains("client -> http://10.255.0.100/ (now through director B): backend 1, backend 1")
                    .contains("Demo complete in");
            d.assertNothingLeft();
        } finally {
            d.kill();
        }
    }
}
