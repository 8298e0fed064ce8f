"""Host half's helpers of integration-tests/bench-checker-vm.sh.

mark QEMU_PARENT_PID: copies stdin (the guest's output) to stdout; after each "MARK label" line prints
  "HOST label load1=... other_cores=..." - the host's 1-minute load average and how many host cores were busy
  with things other than this VM's qemu since the previous mark (the machine is shared: a window with other work
  on both cores starves the guest).
report LOG STEADY_B WIN WARM_A: the tables, from the SNAP lines of LOG.
"""
import collections
import os
import sys


def qemu_pid(parent):
    """The qemu-system process below PARENT (run-in-vm starts it through timeout)."""
    kids = collections.defaultdict(list)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = open("/proc/%s/stat" % d).read()
                kids[int(st[st.rindex(")") + 2:].split()[1])].append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    todo = [parent]
    while todo:
        p = todo.pop()
        for k in kids.get(p, []):
            try:
                if open("/proc/%d/comm" % k).read().startswith("qemu-system"):
                    return k
            except OSError:
                pass
            todo.append(k)
    return None


def mark(parent):
    qpid, last = None, None
    for line in sys.stdin:
        sys.stdout.write(line)
        if line.startswith("MARK "):
            qpid = qpid or qemu_pid(parent)
            try:
                st = open("/proc/%d/stat" % qpid).read()
                f = st[st.rindex(")") + 2:].split()
                q = int(f[11]) + int(f[12])
            except (OSError, TypeError, ValueError):
                q = 0
            cpu = list(map(int, open("/proc/stat").readline().split()[1:]))
            busy = sum(cpu) - cpu[3] - cpu[4]
            mono = os.times().elapsed
            other = vm = "nan"
            if last:
                hz = os.sysconf("SC_CLK_TCK")
                other = "%.2f" % (((busy - last[0]) - (q - last[1])) / hz / max(mono - last[2], 0.001))
                vm = "%.2f" % ((q - last[1]) / hz / max(mono - last[2], 0.001))
            last = (busy, q, mono)
            load = open("/proc/loadavg").read().split()[0]
            sys.stdout.write("HOST %s load1=%s other_cores=%s qemu_cores=%s\n" % (line.split()[1], load, other, vm))
        sys.stdout.flush()


def report(path, steady_b, win, warm_a):
    snaps = collections.OrderedDict()
    host = {}
    notes = []
    hz = 100
    for line in open(path):
        f = line.split()
        if line.startswith("SNAP "):
            d = dict(kv.split("=", 1) for kv in f[3:])
            snaps.setdefault(f[1], {})[int(f[2])] = d
        elif line.startswith("HOST "):
            host[f[1]] = dict(kv.split("=", 1) for kv in f[2:])
        elif line.startswith("# guest:"):
            hz = int(line.split("HZ")[1].split()[0])
        elif line.startswith("#") and ("JVM options" in line or "end:" in line):
            notes.append(line.rstrip())

    def window(run, a, b):
        s = snaps.get(run, {})
        # a slice whose sample is missing: the next one after it (the row shows the offsets used)
        a = min((o for o in s if o >= a), default=None)
        b = min((o for o in s if o >= b), default=None)
        if a is None or b is None or a >= b:
            return None
        x, y = s[a], s[b]
        g = lambda k: int(y[k]) - int(x[k])
        checks = int(y["checks"]) - int(x["checks"])
        u, sy, ju, js = g("user") / hz, g("sys") / hz, g("jit_user") / hz, g("jit_sys") / hz
        per = (lambda v: 1000.0 * v / checks) if checks > 0 else (lambda v: float("nan"))
        loads = [float(host[k]["load1"]) for k in ("%s.%d" % (run, o) for o in s if a <= o <= b) if k in host]
        others = [float(host[k]["other_cores"]) for k in ("%s.%d" % (run, o) for o in s if a < o <= b)
                  if k in host and host[k]["other_cores"] != "nan"]
        vms = [float(host[k].get("qemu_cores", "nan")) for k in ("%s.%d" % (run, o) for o in s if a < o <= b) if k in host]
        return dict(vm=min(vms) if vms else float("nan"), span="%d-%d" % (a, b), checks=checks, secs=float(y["t"]) - float(x["t"]), user=u, sys=sy, jit=ju + js,
                    pu=per(u), ps=per(sy), pt=per(u + sy), pnj=per(u + sy - ju - js), pss=int(y["pss_kb"]) / 1024,
                    rss=int(y["rss_kb"]) / 1024, threads=int(y["threads"]), procs=int(y["procs"]),
                    load=(min(loads), max(loads)) if loads else (float("nan"),) * 2,
                    other=max(others) if others else float("nan"))

    rows = []
    print("Per run: first minute = 0-60 s after launch; steady = keepalived (A) %d-%d s, javalived (B) %d-%d s after "
          "launch. CPU-s per 1,000 checks (user / sys / total; noJIT = without the JIT compiler threads); checks = "
          "TcpPassiveOpens of the real servers' namespace; memory at the end of the steady window; load = host "
          "1-min load average; other = host cores busy outside this VM (max over the window's slices, of 2); qemu = "
          "host cores the VM got (min over the slices; under 1 the guest was starved and its tick accounting "
          "charges the stolen time to whatever ran: per-check figures inflate)."
          % (warm_a, warm_a + win, steady_b, steady_b + win))
    print()
    def checking_from(run):  # the first sample after which the real servers saw checks
        s = snaps.get(run, {})
        offs = sorted(s)
        for x, y in zip(offs, offs[1:]):
            if int(s[y]["checks"]) > int(s[x]["checks"]):
                return x
        return float("nan")

    hdr = ("run", "checks from s", "first min: CPU-s", "checks", "per 1k", "JIT s", "0-120 s CPU-s", "steady: user", "sys", "total", "noJIT",
           "chk/s", "JIT s", "PSS MB", "RSS MB", "threads", "load", "other", "qemu")
    print("| " + " | ".join(hdr) + " |")
    print("|" + " --- |" * len(hdr))
    for run in snaps:
        if ".idle" in run:
            continue
        kind = run.split(".")[1]
        a = warm_a if kind == "A" else steady_b
        fm, st = window(run, 0, 60), window(run, a, a + win)
        if not st or not fm:
            print("| %s | (incomplete) |" % run)
            continue
        if fm["span"] != "0-60" or st["span"] != "%d-%d" % (a, a + win):
            run += " (windows %s, %s s)" % (fm["span"], st["span"])
        rows.append((run.split(" ")[0], fm, st))
        f2 = window(run.split(" ")[0], 0, 120)
        print("| %s | %s | %.2f | %d | %.2f | %.2f | %s | %.3f | %.3f | %.3f | %.3f | %.1f | %.2f | %.1f | %.1f | %d | %.1f-%.1f | %.2f | %.2f |" % (
            run, checking_from(run.split(" ")[0]), fm["user"] + fm["sys"], fm["checks"], fm["pt"], fm["jit"],
            "%.2f" % (f2["user"] + f2["sys"]) if f2 else "-", st["pu"], st["ps"], st["pt"], st["pnj"],
            st["checks"] / st["secs"], st["jit"], st["pss"], st["rss"], st["threads"], st["load"][0], st["load"][1],
            st["other"], st["vm"]))
    print()
    print("Side by side (mean over the runs of each kind; ratio = javalived / keepalived):")
    print()
    by = collections.defaultdict(list)
    for run, fm, st in rows:
        t, kind = run.split(".")[:2]
        by[(t, kind)].append((fm, st))
    hdr = ("type", "daemon", "runs", "steady user", "steady sys", "steady total", "first-minute total", "first-minute CPU-s",
           "PSS MB", "RSS MB", "threads")
    print("| " + " | ".join(hdr) + " |")
    print("|" + " --- |" * len(hdr))
    def mean(xs):  # over the runs that have the figure (a starved run may have done no checks in a window)
        xs = [x for x in xs if x == x]
        return sum(xs) / len(xs) if xs else float("nan")
    for (t, kind), v in sorted(by.items()):
        m = lambda k, w=1: mean([x[w][k] for x in v])
        print("| %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.2f | %.1f | %.1f | %.0f |" % (
            t, "keepalived" if kind == "A" else "javalived " + kind, len(v), m("pu"), m("ps"), m("pt"), m("pt", 0),
            mean([x[0]["user"] + x[0]["sys"] for x in v]), m("pss"), m("rss"), m("threads")))
        if kind != "A" and (t, "A") in by:
            a = by[(t, "A")]
            ma = lambda k, w=1: mean([x[w][k] for x in a])
            print("| %s | ratio %s/keepalived | | %.2f | %.2f | %.2f | %.2f | | %.1f | %.1f | |" % (
                t, kind, m("pu") / ma("pu"), m("ps") / ma("ps"), m("pt") / ma("pt"), m("pt", 0) / ma("pt", 0),
                m("pss") / ma("pss"), m("rss") / ma("rss")))
    print()
    for n in notes:
        print(n)


if __name__ == "__main__":
    if sys.argv[1] == "mark":
        mark(int(sys.argv[2]))
    else:
        report(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
