package io.fasthttp4j.client;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spreads requests over several {@link HostClient}s (replicas of one service): fasthttp's LBClient.
 * Each call goes to the member with the fewest calls in progress plus its penalty; a call that the
 * {@link HealthCheck} calls failed gives its member a penalty of {@value #FAILURE_PENALTY} for
 * {@link #PENALTY_DURATION}, so traffic moves away from a failing replica without waiting for
 * timeouts. Every call runs under {@code timeout}. Allocates nothing per call. Thread-safe; closing
 * it closes the members.
 */
public final class LBClient implements AutoCloseable {
    /** Default of the per-call timeout: 5 s, as fasthttp's DefaultLBClientTimeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a failure counts against a member: 3 s, as fasthttp. */
    public static final Duration PENALTY_DURATION = Duration.ofSeconds(3);
    /** The load a failure adds to a member while its penalty lasts, in calls in progress. */
    public static final int FAILURE_PENALTY = 1;

    /** Decides whether a call succeeded; {@code error} is null when a response was read. Must not block. */
    @FunctionalInterface
    public interface HealthCheck {
        boolean isHealthy(Request request, Response response, IOException error);
    }

    /** The default check: healthy unless the call failed with an exception. */
    public static final HealthCheck NO_ERROR = (request, response, error) -> error == null;

    private final Member[] members;
    private final HealthCheck healthCheck;
    private final long timeoutNanos;
    private final AtomicInteger next = new AtomicInteger();   // where a search starts, so ties rotate

    /** One member and its penalty. */
    private static final class Member {
        final HostClient client;
        final AtomicInteger penalty = new AtomicInteger();
        volatile long penaltyEndsNanos;

        Member(HostClient client) {
            this.client = client;
        }

        int load(long now) {
            int p = now - penaltyEndsNanos < 0 ? penalty.get() : 0;
            return client.pendingRequests() + p;
        }

        void penalise(long now) {
            if (now - penaltyEndsNanos >= 0) penalty.set(0);   // the old penalty has run out
            penalty.addAndGet(FAILURE_PENALTY);
            penaltyEndsNanos = now + PENALTY_DURATION.toNanos();
        }
    }

    /** A balancer over {@code clients} with {@link #NO_ERROR} and {@link #DEFAULT_TIMEOUT}. */
    public LBClient(List<HostClient> clients) {
        this(clients, NO_ERROR, DEFAULT_TIMEOUT);
    }

    public LBClient(List<HostClient> clients, HealthCheck healthCheck, Duration timeout) {
        if (clients.isEmpty()) throw new IllegalArgumentException("no clients to balance");
        members = new Member[clients.size()];
        for (int i = 0; i < members.length; i++) members[i] = new Member(clients.get(i));
        this.healthCheck = java.util.Objects.requireNonNull(healthCheck);
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * Sends {@code request} through the least loaded member within the timeout; see
     * {@link HostClient#doRequest} for what is thrown and how long the response stays valid.
     */
    public void doRequest(Request request, Response response) throws IOException {
        long now = System.nanoTime();
        long deadline = now + timeoutNanos;
        Member member = leastLoaded(now);
        IOException error = null;
        try {
            member.client.doDeadlineNanos(request, response, deadline == 0 ? 1 : deadline);
        } catch (IOException e) {
            error = e;
            throw e;
        } finally {
            if (!healthCheck.isHealthy(request, response, error)) member.penalise(System.nanoTime());
        }
    }

    private Member leastLoaded(long now) {
        int start = Math.floorMod(next.getAndIncrement(), members.length);
        Member best = members[start];
        int bestLoad = best.load(now);
        for (int k = 1; k < members.length && bestLoad > 0; k++) {
            Member m = members[(start + k) % members.length];
            int load = m.load(now);
            if (load < bestLoad) {
                best = m;
                bestLoad = load;
            }
        }
        return best;
    }

    /** Calls in progress over all members. */
    public int pendingRequests() {
        int n = 0;
        for (Member m : members) n += m.client.pendingRequests();
        return n;
    }

    /** Closes every member. */
    @Override
    public void close() {
        for (Member m : members) m.client.close();
    }
}
