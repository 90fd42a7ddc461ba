package org.ssdspark.export.onnx;

/** The network is not of the mb2-ssd-lite layout the ONNX export writes; the message says what cannot be represented. */
public class UnsupportedGraphException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsupportedGraphException(String message) {
        super(message);
    }
}
