package io.fasthttp4j.pool;

/**
 * A buffer could not grow because its {@link MemoryBudget} is spent. The message names the budget's
 * setting and limit: {@code response body would exceed maxBufferedBodyBytes=16777216 (in use 16700000, asked 131072)}.
 * A server answers the request with 503 and Retry-After, and closes the connection.
 *
 * <p>Built without a stack trace: under hostile load it is thrown often, and the message says it all.
 */
public final class BudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceededException(MemoryBudget budget, long asked, String what) {
        super(what + " would exceed " + budget.name() + "=" + budget.limit() + " (in use " + budget.used() + ", asked " + asked + ")",
                null, false, false);
    }
}
