package dev.parley.web;

/** The project has used up its token budget; a model call would exceed it. */
public class TokenBudgetExhaustedException extends ApiException {

    public TokenBudgetExhaustedException(long used, long max) {
        super(ErrorCode.TOKEN_BUDGET_EXHAUSTED,
                "the project has used " + used + " of its " + max + " tokens");
    }
}
