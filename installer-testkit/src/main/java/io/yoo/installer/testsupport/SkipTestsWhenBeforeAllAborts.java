package io.yoo.installer.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * For test classes whose {@code @BeforeAll} starts a peer (a simulated rack, a mockup server):
 * when the peer is missing, {@link Peers#require} aborts {@code @BeforeAll}, and JUnit then drops
 * the whole class without a word — Surefire reports "Tests run: 0", no skip, no reason. With
 * {@code @ExtendWith(SkipTestsWhenBeforeAllAborts.class)} the abort is kept and every test of the
 * class is skipped with its reason. Only aborts are kept: a failure (a required peer with
 * {@code -Dyoo.requirePeers=true}, a broken start) still fails the class. {@code @AfterAll}
 * methods still run, so they must cope with what was not started.
 */
public final class SkipTestsWhenBeforeAllAborts implements LifecycleMethodExecutionExceptionHandler, ExecutionCondition {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SkipTestsWhenBeforeAllAborts.class);
    private static final String REASON = "reason";

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        if (!(t instanceof TestAbortedException)) {
            throw t;
        }
        context.getStore(NS).put(REASON, t.getMessage());
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // a test's store falls back to its class's, where @BeforeAll left the reason
        String reason = context.getTestMethod().isPresent() ? context.getStore(NS).get(REASON, String.class) : null;
        return reason == null ? ConditionEvaluationResult.enabled("@BeforeAll did not abort") : ConditionEvaluationResult.disabled(reason);
    }
}
