package io.fasthttp4j.server.soak;

import io.fasthttp4j.server.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SoakServer} in a child JVM, and the parent's side of its stdin/stdout commands.
 * {@link #close()} kills the child whatever state it is in.
 *
 * <p>The child runs on the class path: the directories or jars that hold {@link Server} and
 * {@link SoakServer}, found from their code sources. The tests themselves run on the class path too
 * (the parent pom sets {@code useModulePath=false}; the test classes are compiled into module
 * io.fasthttp4j only to check it), and {@code java.class.path} inside Failsafe names only its
 * manifest-only booter jar, so the code sources are the dependable way. SoakServer needs nothing else.
 */
public final class SoakServerProcess implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;
    private final int port;

    private SoakServerProcess(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        startReading();
        String first = nextLine(ANSWER_TIMEOUT);
        if (!first.startsWith("port ")) throw new IOException("expected 'port N' from the soak server, got: " + first + logTail());
        this.port = Integer.parseInt(first.substring(5).trim());
    }

    /**
     * Starts a SoakServer JVM with {@code jvmFlags} (e.g. -Xmx64m -XX:+UseSerialGC), its stderr (the
     * server's log) written to {@code log}, and waits for its port.
     */
    public static SoakServerProcess start(String transport, List<String> jvmFlags, Duration maxIdleWorkerDuration, Path log)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classPath(), SoakServer.class.getName(), transport,
                String.valueOf(maxIdleWorkerDuration.toSeconds())));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            return new SoakServerProcess(p, log);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** The java launcher running this JVM, so the child runs the same JDK. */
    static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Where Server and SoakServer were loaded from (target/classes or the jar, and target/test-classes). */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(Server.class, SoakServer.class)) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot locate the classes of " + c, e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks for {@link SoakStats}; fails with the server's log tail if it answers otherwise, or not at all. */
    public SoakStats stats() throws IOException {
        send("stats");
        String line = nextLine(ANSWER_TIMEOUT);
        try {
            return SoakStats.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IOException("the soak server answered 'stats' with: " + line + logTail(), e);
        }
    }

    /** Shuts the server down in order; true if it exited 0 within 10 s. */
    public boolean quit() throws IOException, InterruptedException {
        send("quit");
        return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    /** Kills the child JVM (whatever state it is in) and waits for it. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            commands.close();
        } catch (IOException ignored) {
            // the child is gone; its end of the pipe with it
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(String command) throws IOException {
        if (!process.isAlive()) throw new IOException("the soak server has exited with code " + process.exitValue() + logTail());
        commands.write(command + "\n");
        commands.flush();
    }

    private String nextLine(Duration timeout) throws IOException {
        String line;
        try {
            line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the soak server", e);
        }
        if (line == null) throw new IOException("no answer from the soak server within " + timeout.toSeconds() + " s" + logTail());
        if (line.equals(EOF)) throw new IOException("the soak server closed its stdout (alive: " + process.isAlive() + ")" + logTail());
        return line;
    }

    private void startReading() {
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        Thread.ofPlatform().daemon().name("soak-server-stdout-" + process.pid()).start(() -> {
            try (out) {
                for (String line; (line = out.readLine()) != null; ) lines.add(line);
            } catch (IOException e) {
                // the child died; EOF below says so
            }
            lines.add(EOF);
        });
    }

    /** The last lines of the server's log, for failure messages. */
    public String logTail() {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return "\n--- last lines of " + log + " ---\n" + String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return " (no log at " + log + ": " + e + ")";
        }
    }
}
