package io.javalived.netlink.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** sigaction(2) against this process's real dispositions (SIGWINCH: no effect at its default either). */
class SignalDispositionTest {
    static final int SIGQUIT = 3, SIGWINCH = 28;

    @Test
    void anIgnoredSignalGoesBackToItsDefaultOnce() throws IOException {
        SignalDisposition.set(SIGWINCH, SignalDisposition.SIG_IGN);
        try {
            assertThat(SignalDisposition.ignored(SIGWINCH)).isTrue();
            assertThat(SignalDisposition.resetIfIgnored(SIGWINCH)).isTrue();
            assertThat(SignalDisposition.ignored(SIGWINCH)).isFalse();
            assertThat(SignalDisposition.resetIfIgnored(SIGWINCH)).isFalse(); // at its default: nothing to do
        } finally {
            SignalDisposition.set(SIGWINCH, SignalDisposition.SIG_DFL);
        }
    }

    @Test
    void aHandlerOfTheJvmIsLeftAlone() throws IOException {
        // the JVM catches SIGQUIT (thread dumps): a handler of its own, neither ignored nor reset
        long jvms = SignalDisposition.handler(SIGQUIT);
        assertThat(jvms).isNotIn(SignalDisposition.SIG_DFL, SignalDisposition.SIG_IGN);
        assertThat(SignalDisposition.ignored(SIGQUIT)).isFalse();
        assertThat(SignalDisposition.resetIfIgnored(SIGQUIT)).isFalse();
        assertThat(SignalDisposition.handler(SIGQUIT)).isEqualTo(jvms);
    }

    @Test
    void aSignalTheKernelDoesNotKnowSaysSo() {
        assertThatThrownBy(() -> SignalDisposition.set(99, SignalDisposition.SIG_DFL)).isInstanceOf(IOException.class)
                .hasMessageContaining("sigaction(99)").hasMessageContaining("EINVAL");
        assertThatThrownBy(() -> SignalDisposition.ignored(65)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIgnoredMaskIsReadBitBySignal() {
        String status = "Name:\tjava\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000004002\nSigCgt:\t0\n";
        assertThat(SignalDisposition.ignored(status, 2)).isTrue(); // SIGINT: bit 1
        assertThat(SignalDisposition.ignored(status, 15)).isTrue(); // SIGTERM: bit 14
        assertThat(SignalDisposition.ignored(status, 1)).isFalse();
        assertThat(SignalDisposition.ignored("SigIgn:\t8000000000000000\n", 64)).isTrue();
    }
}
