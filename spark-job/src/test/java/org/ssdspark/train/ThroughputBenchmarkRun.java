package org.ssdspark.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link ThroughputBenchmark} through surefire (which has the classpath and JVM flags):
 * {@code mvn -pl spark-job -am test -Dtest=ThroughputBenchmarkRun -Dssd.benchmark=true
 * -Dssd.benchmark.args="48 96 0.25 8 2 2" -Dsurefire.failIfNoSpecifiedTests=false}. Skipped otherwise; it prints,
 * it asserts nothing.
 */
class ThroughputBenchmarkRun {

    @Test
    @EnabledIfSystemProperty(named = "ssd.benchmark", matches = "true")
    void printThroughput() throws Exception {
        ThroughputBenchmark.main(System.getProperty("ssd.benchmark.args", "").isBlank() ? new String[0]
                : System.getProperty("ssd.benchmark.args").trim().split("\\s+"));
    }
}
