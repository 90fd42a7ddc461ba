package org.ssdspark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The folders under {@code spark-job/src/test/fixtures}: files the tests read that are kept in the repository, each
 * folder with a README saying how its files were made.
 */
public final class FixtureFolders {
    static final String IN_MODULE = "src/test/fixtures";

    private FixtureFolders() {
    }

    /**
     * {@code src/test/fixtures/<name>} of the spark-job module: surefire runs tests in the module folder and names it
     * in "basedir"; an IDE may run them from the repository. Fails, never skips, when the folder is missing.
     */
    public static Path of(String name) {
        Path dir = Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).resolve(IN_MODULE).resolve(name);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path fromRoot = Paths.get(System.getProperty("user.dir")).resolve("spark-job").resolve(IN_MODULE).resolve(name);
        if (Files.isDirectory(fromRoot)) {
            return fromRoot;
        }
        throw new IllegalStateException("The fixtures are not at " + dir.toAbsolutePath()
                + "; run the tests from the repository's spark-job module");
    }
}
