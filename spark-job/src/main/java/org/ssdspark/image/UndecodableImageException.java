package org.ssdspark.image;

/** The bytes of an image could not be decoded; the message names the image id. */
public final class UndecodableImageException extends RuntimeException {
    private final String imageId;

    public UndecodableImageException(String imageId, String reason) {
        super("cannot decode image '" + imageId + "': " + reason);
        this.imageId = imageId;
    }

    public String imageId() {
        return imageId;
    }
}
