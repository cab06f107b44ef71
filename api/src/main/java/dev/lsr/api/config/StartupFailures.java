package dev.lsr.api.config;

import dev.lsr.api.config.DataDirectoryLock.DataDirectoryException;
import dev.lsr.engine.UnknownModelException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.PortInUseException;

/**
 * What a start refused by its settings prints: Spring Boot's "APPLICATION FAILED TO START" report
 * with what is wrong and what to do, instead of the stack trace of the bean that failed (the same
 * form Spring gives a port already in use). {@link #isBadSetting} is what {@code lsr serve} exits 2 on.
 */
public final class StartupFailures {
    private StartupFailures() {}

    /**
     * Whether a failed start was refused by a setting: the data directory, the default model, the
     * port, or an {@code lsr.*} (or other) property that does not bind (a value of the wrong type or
     * out of range; Spring Boot's own analysis names it).
     */
    public static boolean isBadSetting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DataDirectoryException || t instanceof UnknownModelException || t instanceof PortInUseException
                    || t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** The data directory cannot be created or written, or another service holds it. */
    public static final class DataDirectory extends AbstractFailureAnalyzer<DataDirectoryException> {
        @Override
        protected FailureAnalysis analyze(Throwable root, DataDirectoryException cause) {
            return new FailureAnalysis("The " + cause.getMessage() + ".",
                    cause.action(), cause);
        }
    }

    /** {@code lsr.default-model} names no model that can be imported or opened. */
    public static final class DefaultModel extends AbstractFailureAnalyzer<UnknownModelException> {
        @Override
        protected FailureAnalysis analyze(Throwable root, UnknownModelException cause) {
            return new FailureAnalysis("The default model cannot be loaded: " + cause.getMessage() + ".",
                    "Set --lsr.default-model to a model name under the data directory's models/, a model directory or an"
                            + " ONNX export with its tokenizer beside it; or --lsr.default-model=none for a service that takes"
                            + " vectors only.", cause);
        }
    }
}
