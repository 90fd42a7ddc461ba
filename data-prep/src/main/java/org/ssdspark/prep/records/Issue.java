package org.ssdspark.prep.records;

import java.io.Serializable;

/**
 * A line of {@code _rejected.jsonl}: an image or object that was rejected, or an object that was clipped.
 * {@code kind} is one of {@link #REJECTED_IMAGE}, {@link #REJECTED_OBJECT}, {@link #CLIPPED_OBJECT}.
 */
public record Issue(String kind, String file, String source, String split, String id, Integer object,
                    String reason) implements Serializable {
    public static final String REJECTED_IMAGE = "rejected_image";
    public static final String REJECTED_OBJECT = "rejected_object";
    public static final String CLIPPED_OBJECT = "clipped_object";
}
