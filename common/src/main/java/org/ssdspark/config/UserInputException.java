package org.ssdspark.config;

/**
 * A problem the user can fix: a bad flag, config key or value, or bad input data.
 * Entry points map it to exit code 2 so a scheduler does not retry it blindly.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
