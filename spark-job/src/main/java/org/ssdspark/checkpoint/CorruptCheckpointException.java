package org.ssdspark.checkpoint;

import org.ssdspark.config.UserInputException;

/** A checkpoint that is missing, incomplete or unreadable; the message names the file. */
public class CorruptCheckpointException extends UserInputException {

    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
