package io.javalived.cli.metrics;

import io.javalived.cli.status.StatusSource;
import java.io.IOException;

/** Prometheus /metrics over HTTP. (Being written: see issue 7.) */
public final class MetricsServer {
    private MetricsServer() {
    }

    public static AutoCloseable start(StatusSource source, String address) throws IOException {
        throw new IOException("/metrics is not implemented yet");
    }
}
