package org.ssdspark.prep.voc;

/** An annotation file that cannot be used: malformed, truncated, hostile or missing required fields. */
public class AnnotationException extends Exception {
    public AnnotationException(String message) {
        super(message);
    }

    public AnnotationException(String message, Throwable cause) {
        super(message, cause);
    }
}
