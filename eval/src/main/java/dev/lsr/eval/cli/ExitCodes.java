package dev.lsr.eval.cli;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** Maps failures to DESIGN.md's exit codes with one clear line on stderr, never a stack trace. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int BAD_INPUT = 2;

    private ExitCodes() {}

    /** Thrown by verbs for bad usage or input; the message is the one line the user sees. */
    public static final class BadInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadInputException(String message) {
            super(message);
        }

        public BadInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static boolean isBadInput(Throwable t) {
        return t instanceof BadInputException
                || t instanceof IllegalArgumentException
                || t instanceof NoSuchFileException
                || t instanceof FileNotFoundException
                // A model directory that is incomplete or damaged (a file missing, a checksum that differs).
                || t instanceof dev.lsr.encoder.model.ModelFormatException
                || (t instanceof UncheckedIOException u && isBadInput(u.getCause()));
    }

    static final class ExceptionHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(
                Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
            String name = cl.getCommandName();
            if (isBadInput(ex)) {
                cl.getErr().println(name + ": " + oneLine(ex));
                return BAD_INPUT;
            }
            cl.getErr().println(name + ": internal error: " + oneLine(ex));
            if (System.getenv("LSR_DEBUG") != null) {
                ex.printStackTrace(cl.getErr());
            } else {
                cl.getErr().println("(set LSR_DEBUG=1 for the stack trace)");
            }
            return INTERNAL;
        }
    }

    static final class UsageHandler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            cl.getErr().println(cl.getCommandName() + ": " + ex.getMessage()
                    + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        }
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (t instanceof NoSuchFileException) {
            m = "no such file: " + m;
        }
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }
}
