package org.ssdspark.prep.records;

import java.io.Serializable;
import java.util.List;

/** What converting one listed image gave: a record (null if the image was rejected) and its issues. */
public record ConversionResult(String split, ImageRecord record, List<Issue> issues) implements Serializable {
    public boolean converted() {
        return record != null;
    }
}
