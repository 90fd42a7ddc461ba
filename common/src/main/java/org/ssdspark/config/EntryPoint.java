package org.ssdspark.config;

import java.util.concurrent.Callable;

/**
 * Runs a job's main body and turns its outcome into an exit code a scheduler can act on:
 * 0 done, 2 bad input or configuration (retrying will not help), 1 any other failure.
 */
public final class EntryPoint {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private EntryPoint() {
    }

    public static int run(String jobName, Callable<Integer> body) {
        try {
            return body.call();
        } catch (UserInputException e) {
            System.err.println(jobName + ": error: " + e.getMessage());
            return BAD_INPUT;
        } catch (com.typesafe.config.ConfigException e) {
            System.err.println(jobName + ": configuration error: " + e.getMessage());
            return BAD_INPUT;
        } catch (Throwable t) {
            UserInputException cause = userCause(t);
            if (cause != null) {
                System.err.println(jobName + ": error: " + cause.getMessage());
                return BAD_INPUT;
            }
            System.err.println(jobName + ": failed: " + t);
            t.printStackTrace(System.err);
            return FAILURE;
        }
    }

    /** Spark wraps exceptions thrown in tasks; a user error deep inside still deserves exit code 2. */
    private static UserInputException userCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserInputException u) {
                return u;
            }
        }
        return null;
    }
}
