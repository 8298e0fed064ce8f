package io.javalived.daemon.metrics;

import java.util.List;

/**
 * One time series' value at a scrape.
 *
 * @param def         its family
 * @param labelValues the values of {@code def.labels()}, in the same order
 */
public record Sample(MetricDef def, List<String> labelValues, double value) {
    public Sample {
        labelValues = List.copyOf(labelValues);
        if (labelValues.size() != def.labels().size()) {
            throw new IllegalArgumentException(def.name() + " takes labels " + def.labels() + ", got " + labelValues);
        }
    }

    /** The series' identity: name and label values. */
    public SeriesKey key() {
        return new SeriesKey(def.name(), labelValues);
    }

    /** Name plus label values: what makes a series unique. */
    public record SeriesKey(String name, List<String> labelValues) {}
}
