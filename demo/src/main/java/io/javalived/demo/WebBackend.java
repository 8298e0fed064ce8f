package io.javalived.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The lab's web servers and its client. {@link #main} is a web server (the JDK's HTTP server) that the demo starts as
 * a small process in a backend's namespace: it answers every request with one line, e.g. {@code backend 1}, until it
 * is stopped (SIGTERM) - connections are then refused, as from a crashed web server. The client's requests
 * ({@link #get}, {@link #ping}) run inside the client's namespace on a thread of the demo's JVM.
 */
public final class WebBackend {
    private WebBackend() {
    }

    /** {@code WebBackend PORT TEXT}: serves TEXT on 0.0.0.0:PORT (0.0.0.0: with DR it also gets the VIP's traffic). */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: WebBackend PORT TEXT");
            System.exit(2);
        }
        HttpServer s = HttpServer.create(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[0])), 16);
        byte[] answer = (args[1] + "\n").getBytes(StandardCharsets.UTF_8);
        s.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, answer.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(answer);
                }
            }
        });
        s.setExecutor(null);
        s.start();
        System.out.println("web server " + args[1] + " listening on 0.0.0.0:" + args[0]);
        System.out.flush();
    }

    /**
     * A client's GET of http://{@code address}/ from inside namespace {@code ns}, on a new connection: the first line
     * of the answer's body, or what went wrong (e.g. {@code connection refused}).
     */
    static String get(String ns, String address, int port) {
        try {
            return Netns.call(ns, 5_000, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(address, port), 2000);
                    s.setSoTimeout(3000);
                    s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + address + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    String resp = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    return DemoText.httpBody(resp);
                } catch (java.net.ConnectException e) {
                    return "connection refused";
                } catch (java.net.SocketTimeoutException e) {
                    return "no answer (timeout)";
                } catch (IOException e) {
                    return "error: " + e.getMessage();
                }
            });
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    /** An ICMP echo (as root, Java's isReachable pings) from namespace {@code ns}; true if answered within 1 s. */
    static boolean ping(String ns, String address) {
        try {
            return Netns.call(ns, 5_000, () -> java.net.InetAddress.getByName(address).isReachable(1000));
        } catch (Exception e) {
            return false;
        }
    }
}
