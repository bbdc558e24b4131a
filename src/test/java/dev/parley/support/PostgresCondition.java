package dev.parley.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs PostgreSQL tests when the server is reachable; skips them locally when not, fails under CI. */
public class PostgresCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Postgres.available()) {
            return ConditionEvaluationResult.enabled("PostgreSQL is reachable at " + Postgres.URL);
        }
        if (Postgres.required()) {
            throw new IllegalStateException("CI=true and PostgreSQL is not reachable at " + Postgres.URL
                    + " as " + Postgres.USER + ": start it (see .ci/run)");
        }
        return ConditionEvaluationResult.disabled("PostgreSQL is not reachable at " + Postgres.URL);
    }
}
