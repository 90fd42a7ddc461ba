package org.ssdspark.prep.records;

import java.io.Serializable;

/** An object of a record: label (1-based; 0 is background), class name, box as in the XML (clipped if it had to be). */
public record RecordObject(int label, String name, double xmin, double ymin, double xmax, double ymax,
                           boolean difficult, boolean truncated) implements Serializable {
}
