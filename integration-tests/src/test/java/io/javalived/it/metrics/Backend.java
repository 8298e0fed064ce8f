package io.javalived.it.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny web backend for the metrics lab, started in a namespace with {@code ip netns exec NS java ... Backend ADDR
 * PORT}: every GET answers 200 "ok NAME". Runs until killed. (Not python: the CI image need not have it.)
 */
public final class Backend {
    private Backend() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress addr = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        byte[] body = ("ok " + args[0] + "\n").getBytes(StandardCharsets.UTF_8);
        HttpServer s = HttpServer.create(new InetSocketAddress(addr, port), 32);
        s.createContext("/", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        s.start();
        System.out.println("listening on " + args[0] + ":" + port);
        System.out.flush();
    }
}
