/**
 * The director: keepalived's virtual server manager (its ipwrapper and check glue) for {@code javalived run}.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.javalived.director.VirtualServerManager}: pure state, no I/O, no threads. Fed real-server
 *       verdicts, dynamic weights and ha_suspend; answers with {@link io.javalived.director.DirectorAction}s (log
 *       lines in keepalived 2.2.7's words, notify_up/notify_down/quorum_up/quorum_down scripts) and the desired IPVS
 *       table ({@code Map<ServiceKey, Reconciler.Desired>}). Its rules are listed in its class documentation and each
 *       has a unit test in {@code VirtualServerManagerTest}.</li>
 *   <li>{@link io.javalived.director.Director}: the thin adapter. Registers the configuration's checkers with a
 *       {@link io.javalived.checkers.CheckScheduler}, feeds their transitions to the manager on one thread
 *       ("javalived-director"), reconciles the kernel after every change with {@link io.javalived.ipvs.Reconciler}
 *       (a failed change is logged with what to do and retried every second), runs the scripts.</li>
 *   <li>{@link io.javalived.director.ScriptRunner}: runs scripts as processes (no shell, runuser for a user).</li>
 * </ul>
 *
 * <h2>Integration (one call)</h2>
 * <pre>{@code
 * CheckScheduler checks = new CheckScheduler();
 * IpvsClient ipvs = IpvsClient.open();                       // throws IpvsUnavailableException without ip_vs
 * Director director = Director.start(config, ipvs, checks);  // registers checkers, first reconcile done on return
 * vrrp.onStateChange(master -> director.setHaSuspended(!master));   // only if some virtual server has ha_suspend
 * ...
 * director.close();   // Shutting down lines, omega scripts, removes the owned virtual servers
 * checks.close(); ipvs.close();
 * }</pre>
 * {@code Director.start(config, Director.Kernel.of(ipvs), checks, new Director.Options(false, new
 * ScriptRunner.Processes()))} keeps the table on stop (keepalived's {@code --dont-release-ipvs}).
 * On reload, close the old Director without releasing and start a new one: unchanged services and destinations are
 * left as they are by the reconciler (health state restarts from the checkers' initial verdicts).
 *
 * <h2>Start and stop without dropping traffic</h2>
 * Real servers start up unless alpha (the checkers' initial verdict, as keepalived), so the first desired table of a
 * restart equals what the previous run left in the kernel and the reconciler sends nothing for it; existing
 * connections and healthy destinations are untouched. A real server with checkers that the previous run's table left
 * out of its service starts down until its checkers pass (javalived; {@code Options.downWhereAbsent}, off with
 * {@code run --clean-start}). Only services named by the configuration are owned: every other
 * service in the kernel is never edited or deleted. On stop: {@code lvs_flush_on_stop} (no value) flushes the whole
 * table; otherwise the owned virtual servers are removed (keepalived's default and {@code lvs_flush_on_stop VS}),
 * unless {@code releaseOnStop} is false. A service owned by a previous run that has left the configuration is not
 * known after a restart and is left in place. {@code lvs_flush} flushes the table at start, as keepalived.
 *
 * <h2>Log lines (keepalived 2.2.7, observed in the IPVS VM)</h2>
 * {@code Gained quorum 1+0=1 <= 2 for VS [10.10.0.100]:tcp:80}, {@code Removing service [10.10.1.2]:tcp:80 from VS
 * [10.10.0.100]:tcp:80}, {@code Disabling service [10.10.2.2]:tcp:80 of VS [10.10.0.100]:tcp:80} (inhibit_on_failure),
 * {@code Lost quorum 1-0=1 > 0 for VS ...}, {@code Adding sorry server [10.10.3.2]:tcp:80 to VS ...},
 * {@code Removing alive servers from the pool for VS ...}, {@code Adding service ... to VS ...},
 * {@code Removing sorry server ... from VS ...}, {@code Adding alive servers to the pool for VS ...},
 * {@code Shutting down service ... from VS ...}, {@code Shutting down (inhibited) service ... from VS ...},
 * {@code Starting with quorum down 1-0=1 > 0 for VS ...} (unhealthy start, e.g. alpha), {@code Enabling service ... of
 * VS ...} (inhibited server back), {@code Enabling sorry server ... to VS ...} / {@code Disabling sorry server ... from
 * VS ...} (sorry_server_inhibit). Not observed (keepalived's format strings): {@code Changing weight from 1 to 5 for
 * active service ... of VS ...}, {@code Suspending/Activating healthchecker for service ... for VS ...}.
 */
package io.javalived.director;

import io.javalived.checkers.CheckScheduler;
