package io.javalived.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mutant generator itself: deterministic, every operator reachable, mutants really differ. */
class ConfigMutatorTest {
    static final String BASE = String.join("\n",
            "global_defs {",
            "    router_id lb1   # comment",
            "}",
            "vrrp_script chk {",
            "    script \"/bin/true\"",
            "    weight -20",
            "}",
            "vrrp_instance VI_1 {",
            "    state MASTER",
            "    interface eth0",
            "    virtual_router_id 51",
            "    priority 150",
            "    advert_int 1",
            "    authentication {",
            "        auth_type PASS",
            "        auth_pass secret",
            "    }",
            "    unicast_peer {",
            "        192.0.2.2",
            "    }",
            "    virtual_ipaddress {",
            "        192.0.2.10/24",
            "    }",
            "    track_script {",
            "        chk",
            "    }",
            "}",
            "virtual_server 192.0.2.10 80 {",
            "    delay_loop 6",
            "    lb_algo rr",
            "    lb_kind DR",
            "    protocol TCP",
            "    real_server 192.0.2.21 80 {",
            "        weight 1",
            "        TCP_CHECK {",
            "            connect_port 80",
            "            connect_timeout 3",
            "        }",
            "    }",
            "}",
            "");

    @Test
    void sameSeedSameMutants() {
        List<ConfigMutator.Mutant> a = new ConfigMutator(7).mutate("base", BASE, 50);
        List<ConfigMutator.Mutant> b = new ConfigMutator(7).mutate("base", BASE, 50);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).id()).isEqualTo(b.get(i).id());
            assertThat(a.get(i).files().keySet()).isEqualTo(b.get(i).files().keySet());
            for (String f : a.get(i).files().keySet()) {
                assertThat(a.get(i).files().get(f)).isEqualTo(b.get(i).files().get(f));
            }
        }
    }

    @Test
    void everyOperatorAppliesToARichConfigAndChangesIt() {
        List<ConfigMutator.Mutant> all = new ConfigMutator(11).mutate("base", BASE, 1000);
        Set<String> ops = all.stream().map(ConfigMutator.Mutant::operator).collect(Collectors.toSet());
        assertThat(ops).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ConfigMutator.Operator.values()).map(o -> o.label).collect(Collectors.toList()));
        for (ConfigMutator.Mutant m : all) {
            boolean changed = m.files().size() > 1
                    || !new String(m.files().get(ConfigMutator.MAIN), StandardCharsets.UTF_8).equals(BASE);
            // a forced value equal to the original (e.g. "weight 1" -> 1) is the only way to stay equal
            assertThat(changed || m.description().contains("value"))
                    .as(m.id() + ": " + m.description()).isTrue();
        }
    }

    @Test
    void forcedValuesAreUsed() {
        ConfigMutator mut = new ConfigMutator(3);
        assertThat(mut.mutate("b", BASE, ConfigMutator.Operator.PRIORITY, "300").mainText()).contains("priority 300");
        assertThat(mut.mutate("b", BASE, ConfigMutator.Operator.VRID, "0").mainText()).contains("virtual_router_id 0");
        assertThat(mut.mutate("b", BASE, ConfigMutator.Operator.BAD_ADDRESS, "999.1.1.1").mainText()).contains("999.1.1.1");
        assertThat(mut.mutate("b", BASE, ConfigMutator.Operator.SCRIPT_USER, "nobody").mainText()).contains("script_user nobody");
        ConfigMutator.Mutant cyc = mut.mutate("b", BASE, ConfigMutator.Operator.INCLUDE_CYCLE, "pair");
        assertThat(cyc.files()).containsKeys(ConfigMutator.MAIN, "loop.conf");
        assertThat(mut.mutate("b", "! only a comment\n", ConfigMutator.Operator.PRIORITY, "0")).isNull();
    }

    @Test
    void writesIncludedFilesNextToTheMainFile(@TempDir Path dir) throws Exception {
        ConfigMutator mut = new ConfigMutator(5);
        ConfigMutator.Mutant split = null;
        for (int seed = 0; split == null || !split.files().containsKey("conf.d/split.conf"); seed++) {
            split = new ConfigMutator(seed).mutate("b", BASE, ConfigMutator.Operator.INCLUDE_SPLIT, null);
        }
        Path main = split.writeTo(dir);
        assertThat(Files.readString(main)).contains("include conf.d/*.conf");
        assertThat(dir.resolve("conf.d/split.conf")).exists();
        assertThat(mut.mutate("b", BASE, ConfigMutator.Operator.MISSING_INCLUDE, null).mainText()).containsPattern("include missing-\\d+\\.conf");
    }

    @Test
    void randomMutantsAndBytesForPropertyTests() {
        Random rnd = new Random(42);
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            texts.add(ConfigMutator.randomMutant("b", BASE, rnd, 3).mainText());
        }
        assertThat(texts.size()).isGreaterThan(250);
        ConfigMutator.Mutant bytes = ConfigMutator.randomBytes("r1", new Random(1), 512);
        assertThat(bytes.files().get(ConfigMutator.MAIN)).hasSize(512);
    }

    @Test
    void corpusHasDebianSamplesAndConfigSamples() {
        Map<String, String> texts = ConfigCorpus.texts();
        assertThat(texts.keySet()).anyMatch(n -> n.startsWith("samples/"));
        assertThat(texts.keySet()).noneMatch(n -> n.endsWith(".md"));
    }
}
