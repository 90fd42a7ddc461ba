package org.ssdspark.prep.voc;

import java.io.Serializable;

/** One {@code <object>} of a VOC annotation, coordinates as written in the XML (1-based pixels). */
public record VocObject(String name, double xmin, double ymin, double xmax, double ymax,
                        boolean difficult, boolean truncated) implements Serializable {

    public VocObject withBox(double x0, double y0, double x1, double y1) {
        return new VocObject(name, x0, y0, x1, y1, difficult, truncated);
    }

    public boolean hasPositiveArea() {
        return xmax > xmin && ymax > ymin;
    }
}
