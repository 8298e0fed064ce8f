package io.javalived.checkers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** Real servers for the live tests: HTTP/HTTPS (JDK), SMTP and UDP responders, blocked listeners, dnsmasq. */
final class TestServers {
    private TestServers() {}

    /** The body served at /ok and its genhash. */
    static final String OK_BODY = "hello from a real server\n";

    /** An HTTP(S) server whose status for / can be switched. */
    static final class Web implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger status = new AtomicInteger(200);
        final AtomicReference<String> body = new AtomicReference<>(OK_BODY);
        final List<String> hostHeaders = new CopyOnWriteArrayList<>();
        final List<String> sniNames = new CopyOnWriteArrayList<>();
        final List<String> requestLines = new CopyOnWriteArrayList<>();

        Web(InetAddress addr, Path keystore) throws Exception {
            InetSocketAddress sa = new InetSocketAddress(addr, 0);
            if (keystore == null) {
                server = HttpServer.create(sa, 50);
            } else {
                HttpsServer s = HttpsServer.create(sa, 50);
                s.setHttpsConfigurator(new HttpsConfigurator(sslContext(keystore, sniNames)));
                server = s;
            }
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "test-web");
                t.setDaemon(true);
                return t;
            }));
            HttpHandler h = ex -> {
                hostHeaders.add(String.valueOf(ex.getRequestHeaders().getFirst("Host")));
                requestLines.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getProtocol());
                if (ex.getRequestURI().getPath().equals("/slow")) sleep(3000);
                byte[] b = body.get().getBytes(StandardCharsets.ISO_8859_1);
                ex.sendResponseHeaders(status.get(), b.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                }
            };
            server.createContext("/", h);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A self-signed certificate for rs.test / 127.0.0.1 made with keytool. */
    static Path keystore(Path dir) throws Exception {
        Path ks = dir.resolve("rs.p12");
        Process p = new ProcessBuilder("keytool", "-genkeypair", "-alias", "rs", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=rs.test", "-ext", "SAN=dns:rs.test,ip:127.0.0.1", "-validity", "2", "-storetype",
                "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("keytool: " + out);
        return ks;
    }

    static SSLContext sslContext(Path ks, List<String> sniSeen) throws Exception {
        KeyStore k = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            k.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(k, "changeit".toCharArray());
        X509ExtendedKeyManager base = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        X509ExtendedKeyManager spy = new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineServerAlias(String keyType, java.security.Principal[] issuers, SSLEngine engine) {
                if (engine.getHandshakeSession() instanceof ExtendedSSLSession s) {
                    List<SNIServerName> names = s.getRequestedServerNames();
                    sniSeen.add(names.isEmpty() ? "<none>" : ((SNIHostName) names.get(0)).getAsciiName());
                }
                return base.chooseEngineServerAlias(keyType, issuers, engine);
            }

            public String[] getClientAliases(String t, java.security.Principal[] i) { return base.getClientAliases(t, i); }
            public String chooseClientAlias(String[] t, java.security.Principal[] i, Socket s) { return base.chooseClientAlias(t, i, s); }
            public String[] getServerAliases(String t, java.security.Principal[] i) { return base.getServerAliases(t, i); }
            public String chooseServerAlias(String t, java.security.Principal[] i, Socket s) { return base.chooseServerAlias(t, i, s); }
            public java.security.cert.X509Certificate[] getCertificateChain(String a) { return base.getCertificateChain(a); }
            public java.security.PrivateKey getPrivateKey(String a) { return base.getPrivateKey(a); }
        };
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(new KeyManager[] {spy}, null, null);
        return c;
    }

    /** A TCP listener that accepts and then never says a word (HTTP/SMTP read timeout). */
    static final class Mute implements AutoCloseable {
        final ServerSocket ss;
        final List<Socket> held = new CopyOnWriteArrayList<>();

        Mute(InetAddress a) throws IOException {
            ss = new ServerSocket(0, 50, a);
            Thread t = new Thread(() -> {
                try {
                    while (true) held.add(ss.accept());
                } catch (IOException e) {
                    // closed
                }
            }, "test-mute");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return ss.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            ss.close();
            for (Socket s : held) s.close();
        }
    }

    /** A listener that never accepts, its backlog filled, so new SYNs are dropped: connects time out. */
    static final class Blocked implements AutoCloseable {
        final ServerSocket ss;
        final List<SocketChannel> fillers = new ArrayList<>();

        Blocked(InetAddress a) throws IOException {
            ss = new ServerSocket(0, 1, a);
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.connect(new InetSocketAddress(a, ss.getLocalPort()));
                fillers.add(c);
            }
            sleep(200);
        }

        int port() {
            return ss.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel c : fillers) c.close();
            ss.close();
        }
    }

    /** A tiny SMTP responder: banner, HELO and QUIT replies configurable. */
    static final class Smtp implements AutoCloseable {
        final ServerSocket ss;
        volatile String banner = "220 test.local ESMTP ready";
        volatile String heloReply = "250 test.local";
        final List<String> received = new CopyOnWriteArrayList<>();

        Smtp(InetAddress a) throws IOException {
            ss = new ServerSocket(0, 50, a);
            Thread t = new Thread(() -> {
                while (!ss.isClosed()) {
                    try (Socket s = ss.accept()) {
                        s.setSoTimeout(3000);
                        OutputStream o = s.getOutputStream();
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                        o.write(("220-first line of a multi-line banner\r\n" + banner + "\r\n").getBytes());
                        o.flush();
                        if (!banner.startsWith("2")) continue;
                        String l;
                        while ((l = in.readLine()) != null) {
                            received.add(l);
                            if (l.startsWith("HELO")) o.write((heloReply + "\r\n").getBytes());
                            else if (l.startsWith("QUIT")) {
                                o.write("221 bye\r\n".getBytes());
                                o.flush();
                                break;
                            } else o.write("500 what\r\n".getBytes());
                            o.flush();
                        }
                    } catch (IOException e) {
                        // next
                    }
                }
            }, "test-smtp");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return ss.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            ss.close();
        }
    }

    /** A UDP responder: echoes "pong:" + request, or stays silent. */
    static final class UdpEcho implements AutoCloseable {
        final DatagramSocket ds;
        volatile boolean silent;

        UdpEcho(InetAddress a) throws IOException {
            ds = new DatagramSocket(new InetSocketAddress(a, 0));
            Thread t = new Thread(() -> {
                byte[] buf = new byte[2048];
                while (!ds.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        ds.receive(p);
                        if (silent) continue;
                        byte[] r = ("pong:" + new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII)).getBytes();
                        ds.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "test-udp");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return ds.getLocalPort();
        }

        @Override
        public void close() {
            ds.close();
        }
    }

    /** Debian's dnsmasq on a loopback address and port, authoritative for a few names. Killed by PID. */
    static final class Dnsmasq implements AutoCloseable {
        final Process p;
        final String addr;
        final int port;

        Dnsmasq(String addr, int port, Path dir) throws Exception {
            this.addr = addr;
            this.port = port;
            p = new ProcessBuilder("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--bind-interfaces",
                    "--listen-address=" + addr, "--port=" + port, "--user=root", "--pid-file=" + dir.resolve("dnsmasq.pid"),
                    "--address=/up.test/127.0.0.9", "--host-record=rec.test,127.0.0.10", "--log-facility=-")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
            // wait until it answers
            for (int i = 0; i < 50; i++) {
                try (DatagramSocket ds = new DatagramSocket()) {
                    ds.setSoTimeout(100);
                    byte[] q = DnsMessage.query(7, "up.test", 1);
                    ds.send(new DatagramPacket(q, q.length, new InetSocketAddress(addr, port)));
                    ds.receive(new DatagramPacket(new byte[512], 512));
                    return;
                } catch (IOException e) {
                    if (!p.isAlive()) throw new IllegalStateException("dnsmasq died: " + Files.readString(dir.resolve("dnsmasq.log")));
                }
            }
            throw new IllegalStateException("dnsmasq does not answer on " + addr + ":" + port);
        }

        @Override
        public void close() throws InterruptedException {
            p.destroy();
            if (!p.waitFor(3, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** A closed port: bind, note, close. */
    static int closedPort(InetAddress a) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, a)) {
            return s.getLocalPort();
        }
    }
}
