package io.javalived.it.ipvs;

import io.javalived.ipvs.IpvsClient;
import io.javalived.ipvs.Reconciler;
import java.util.Set;

/**
 * Loads the benchmark table (n services × m destinations) with javalived's reconciler, as its own process, so that
 * the benchmark can time a whole javalived process against a whole {@code ipvsadm -R} process. Args: n m.
 */
public final class IpvsLoadMain {
    private IpvsLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int m = Integer.parseInt(args[1]);
        try (IpvsClient c = IpvsClient.open()) {
            Reconciler.Result r = Reconciler.reconcile(c, Reconciler.index(Tables.big(n, m)), Set.of());
            if (!r.ok()) {
                System.err.println("failed: " + r.failed().size() + ", first: " + r.failed().get(0));
                System.exit(1);
            }
        }
    }
}
