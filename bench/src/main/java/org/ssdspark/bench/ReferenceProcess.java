package org.ssdspark.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch reference ({@code submit/reference_benchmark.py --serve}) as a child process that measures on request,
 * so that ours and the reference's measurements alternate in one run and share whatever load the machine has. While
 * one side measures the other waits on a pipe and uses no CPU.
 *
 * <p>Protocol, one line each way: {@code train B N W} or {@code infer B N W} (batch, timed iterations, warm-up
 * iterations) is answered by {@code ok s1 s2 ...} (seconds per timed iteration) or {@code error message}.
 */
final class ReferenceProcess implements AutoCloseable {
    private final Process process;
    private final BufferedWriter toChild;
    private final BufferedReader fromChild;
    private final String description;

    /** Starts the script and waits for its {@code ready ...} line; null (with the reason printed) if it cannot. */
    static ReferenceProcess start(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            // The reference runs as its users run it: OpenMP's own wait policy, not the PASSIVE our scripts set for
            // ND4J (PASSIVE slowed PyTorch's forward pass by a third here), unless SSD_REFERENCE_OMP_WAIT_POLICY says.
            String policy = System.getenv("SSD_REFERENCE_OMP_WAIT_POLICY");
            if (policy == null || policy.isEmpty()) {
                builder.environment().remove("OMP_WAIT_POLICY");
            } else {
                builder.environment().put("OMP_WAIT_POLICY", policy);
            }
            Process p = builder.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null || !line.startsWith("ready")) {
                System.out.println("reference: not available (" + (line == null ? "no answer" : line) + ")");
                p.destroy();
                return null;
            }
            return new ReferenceProcess(p, line.substring("ready".length()).trim() + ", OMP_WAIT_POLICY="
                    + (policy == null || policy.isEmpty() ? "unset (OpenMP's default)" : policy), in);
        } catch (IOException e) {
            System.out.println("reference: not available (" + e.getMessage() + ")");
            return null;
        }
    }

    private ReferenceProcess(Process process, String description, BufferedReader in) {
        this.process = process;
        this.toChild = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.fromChild = in;
        this.description = description;
    }

    String description() {
        return description;
    }

    Timings measure(String what, int batch, int iterations, int warmup) throws IOException {
        toChild.write(what + " " + batch + " " + iterations + " " + warmup + "\n");
        toChild.flush();
        String line = fromChild.readLine();
        if (line == null || !line.startsWith("ok")) {
            throw new IOException("reference " + what + " failed: " + line);
        }
        List<Double> seconds = new ArrayList<>();
        for (String s : line.substring(2).trim().split("\\s+")) {
            seconds.add(Double.parseDouble(s));
        }
        return Timings.of(batch, seconds);
    }

    @Override
    public void close() {
        try {
            toChild.write("quit\n");
            toChild.flush();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroy();
        }
    }
}
