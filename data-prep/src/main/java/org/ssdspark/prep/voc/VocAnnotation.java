package org.ssdspark.prep.voc;

import java.io.Serializable;
import java.util.List;

/** A parsed VOC annotation file. Width or height is 0 when the XML has no {@code <size>}. */
public record VocAnnotation(String filename, int width, int height, List<VocObject> objects) implements Serializable {
}
