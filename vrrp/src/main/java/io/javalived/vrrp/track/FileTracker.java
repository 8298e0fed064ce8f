package io.javalived.vrrp.track;

import io.javalived.config.model.TrackFile;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * {@code track_file}: the number in a file, read every second. A missing, empty or non-numeric file reads as 0 (logged
 * once per change). {@code init_file} writes the initial value at start when the file is missing (or always with
 * {@code overwrite}).
 */
public final class FileTracker implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp.track");

    private final TrackFile def;
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private volatile long value;
    private volatile String problem;
    private ScheduledFuture<?> task;

    public FileTracker(TrackFile def) {
        this.def = def;
        Path p = Path.of(def.file());
        def.initValue().ifPresent(v -> {
            if (def.initOverwrite() || !Files.exists(p)) {
                try {
                    Files.writeString(p, v + "\n");
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "track_file " + def.name() + ": cannot write initial value to "
                            + def.file() + ": " + e.getMessage());
                }
            }
        });
        this.value = read();
    }

    public String name() {
        return def.name();
    }

    public long value() {
        return value;
    }

    public void addListener(LongConsumer l) {
        listeners.add(l);
    }

    public synchronized void start(ScheduledExecutorService timer) {
        task = timer.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
    }

    private void poll() {
        long v = read();
        if (v != value) {
            value = v;
            LOG.log(Level.INFO, "VRRP_Track_File(" + def.name() + ") value changed to " + v);
            listeners.forEach(l -> l.accept(v));
        }
    }

    private long read() {
        String why;
        try {
            String s = Files.readString(Path.of(def.file())).trim();
            String first = s.isEmpty() ? "" : s.split("\\s+")[0];
            if (first.isEmpty()) {
                why = "is empty";
            } else {
                long v = Long.parseLong(first);
                problem = null;
                return v;
            }
        } catch (IOException e) {
            why = "cannot be read (" + e.getClass().getSimpleName() + ")";
        } catch (NumberFormatException e) {
            why = "does not hold a number";
        }
        if (!why.equals(problem)) {
            problem = why;
            LOG.log(Level.WARNING, "track_file " + def.name() + ": " + def.file() + " " + why + " - reading it as 0");
        }
        return 0;
    }

    /** Pure: the priority offset of a tracked file's value ({@code weight} 0: none, it means FAULT instead). */
    public static int contribution(long value, int weight, boolean reverse) {
        long d = value * weight * (reverse ? -1 : 1);
        return (int) Math.max(-254, Math.min(254, d));
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
