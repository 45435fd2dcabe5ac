package io.fasthttp4j.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program we did not write (curl, openssl s_client), run to its end with its input from bytes and
 * its output to files: files, not pipes, so that a chatty program never blocks on a full pipe. A
 * program still running after the timeout is killed and the run fails with what it printed.
 */
final class ExternalCommand {
    /** What a run left: its exit status and its standard output and error, as ISO-8859-1 text. */
    record Result(int exit, String out, String err) {
    }

    private ExternalCommand() {
    }

    /** True when {@code program} is on the PATH. */
    static boolean onPath(String program) {
        try {
            Process p = new ProcessBuilder("which", program).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs {@code command} with {@code stdin} as its input; fails when it runs past {@code timeout}. */
    static Result run(List<String> command, byte[] stdin, Duration timeout) throws IOException, InterruptedException {
        Path in = Files.createTempFile("fasthttp4j-cmd", ".in");
        Path out = Files.createTempFile("fasthttp4j-cmd", ".out");
        Path err = Files.createTempFile("fasthttp4j-cmd", ".err");
        try {
            Files.write(in, stdin);
            Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Result result = new Result(exited ? p.exitValue() : -1, read(out), read(err));
            if (!exited) throw new IOException("timed out after " + timeout + ": " + command + "\n" + result.out + "\n" + result.err);
            return result;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
