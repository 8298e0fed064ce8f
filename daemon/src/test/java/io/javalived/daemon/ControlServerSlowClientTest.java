package io.javalived.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket against clients that connect and stall (the issue: about 18 idle root connections made
 * {@code javalived status} fail): while 2 or 100 of them are connected, each {@code status} request is answered
 * within 1 s, and the stalled clients are closed at the request deadline (2 s) - or earlier, to admit newer
 * connections once {@value ControlServer#MAX_CONNECTIONS} are open.
 */
class ControlServerSlowClientTest {
    /** The acceptance bound for one status request while slow clients are connected. */
    static final long BOUND_MS = 1000;
    static final long DEADLINE_MS = TimeUnit.NANOSECONDS.toMillis(ControlServer.REQUEST_NANOS);

    @TempDir
    Path dir;

    @Test
    void twoSlowClientsDoNotHoldStatus() throws Exception {
        slowClients(2);
    }

    @Test
    void aHundredSlowClientsDoNotHoldStatus() throws Exception {
        slowClients(100);
    }

    void slowClients(int n) throws Exception {
        Path sock = dir.resolve("c.sock");
        try (ControlServer s = ControlServer.open(StatusFixtures.source(StatusFixtures.status(),
                StatusFixtures.table()), sock)) {
            ControlClient.request(sock, "status", Duration.ofSeconds(10)); // the first answer loads classes
            List<SocketChannel> slow = new ArrayList<>();
            long[] connectedAt = new long[n];
            try {
                for (int i = 0; i < n; i++) {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    c.connect(UnixDomainSocketAddress.of(sock));
                    connectedAt[i] = System.nanoTime();
                    if (i % 2 == 0) {
                        c.write(ByteBuffer.wrap("st".getBytes(StandardCharsets.US_ASCII))); // half a request
                    }
                    slow.add(c);
                }
                int requests = 5;
                long max = 0;
                for (int i = 0; i < requests; i++) {
                    // the even ones drip a byte between requests: no newline, ever
                    for (int j = 0; j < n; j += 2) {
                        try {
                            slow.get(j).write(ByteBuffer.wrap(new byte[] {'a'}));
                        } catch (IOException e) {
                            // closed already
                        }
                    }
                    long t0 = System.nanoTime();
                    String answer = ControlClient.request(sock, i % 2 == 0 ? "status" : "ipvs", Duration.ofSeconds(5));
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(answer).contains(i % 2 == 0 ? "\"pid\": 4242" : "ipvs dry-run");
                    assertThat(ms).as("request %d with %d slow clients connected", i, n).isLessThanOrEqualTo(BOUND_MS);
                    max = Math.max(max, ms);
                    Thread.sleep(200);
                }
                long[] closedAt = awaitClosed(slow, connectedAt, DEADLINE_MS + 3000);
                int early = 0;
                for (int i = 0; i < n; i++) {
                    assertThat(closedAt[i]).as("slow client %d closed by the server", i).isPositive();
                    if (closedAt[i] < DEADLINE_MS - 200) {
                        early++;
                    } else {
                        assertThat(closedAt[i]).as("slow client %d closed at the deadline", i)
                                .isLessThanOrEqualTo(DEADLINE_MS + 1500);
                    }
                }
                assertThat(early).isLessThanOrEqualTo(Math.max(0, n + requests - ControlServer.MAX_CONNECTIONS));
                System.out.printf("ControlServerSlowClientTest: %d slow clients: %d requests, slowest %d ms; %d closed "
                        + "to admit newer connections, the rest at %d-%d ms (deadline %d ms)%n", n, requests, max,
                        early, Arrays.stream(closedAt).filter(t -> t >= DEADLINE_MS - 200).min().orElse(-1),
                        Arrays.stream(closedAt).max().orElse(-1), DEADLINE_MS);
            } finally {
                for (SocketChannel c : slow) {
                    c.close();
                }
            }
        }
    }

    /** For each, the ms after its connect at which the server's close was seen (end of stream or reset), or -1. */
    static long[] awaitClosed(List<SocketChannel> chs, long[] connectedAt, long withinMillis) throws IOException {
        long[] at = new long[chs.size()];
        Arrays.fill(at, -1);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
        int open = chs.size();
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < chs.size(); i++) {
                chs.get(i).configureBlocking(false);
                chs.get(i).register(sel, SelectionKey.OP_READ, i);
            }
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (open > 0) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                sel.select(left);
                for (SelectionKey k : sel.selectedKeys()) {
                    int i = (Integer) k.attachment();
                    buf.clear();
                    int r;
                    try {
                        r = chs.get(i).read(buf);
                    } catch (IOException e) {
                        r = -1; // reset
                    }
                    if (r > 0) {
                        throw new AssertionError("slow client " + i + " got an answer: "
                                + new String(buf.array(), 0, r, StandardCharsets.UTF_8));
                    }
                    if (r < 0) {
                        at[i] = (System.nanoTime() - connectedAt[i]) / 1_000_000;
                        k.cancel();
                        open--;
                    }
                }
                sel.selectedKeys().clear();
            }
        }
        return at;
    }

    @Test
    void extraLinesOnAConnectionGetOneAnswerThenTheEnd() throws Exception {
        Path sock = dir.resolve("r.sock");
        try (ControlServer s = ControlServer.open(StatusFixtures.source(StatusFixtures.status(),
                StatusFixtures.table()), sock);
             SocketChannel lazy = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            lazy.connect(UnixDomainSocketAddress.of(sock));
            for (int i = 0; i < 3; i++) { // asks three times, reads later
                lazy.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII)));
            }
            long t0 = System.nanoTime();
            assertThat(ControlClient.request(sock, "status", Duration.ofSeconds(5))).contains("\"pid\": 4242");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThanOrEqualTo(BOUND_MS);
            // one answer per connection: then the end of the stream
            String a = Wire.readAll(lazy, 1 << 20, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            assertThat(a).contains("\"pid\": 4242");
        }
    }
}
