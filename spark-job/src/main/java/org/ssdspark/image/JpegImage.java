package org.ssdspark.image;

import java.util.Objects;

/**
 * The encoded bytes of one image as stored in a record, with the id used to name it in errors.
 * The bytes are not copied: callers hand over ownership.
 */
public record JpegImage(String id, byte[] bytes) {
    public JpegImage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bytes, "bytes");
    }
}
