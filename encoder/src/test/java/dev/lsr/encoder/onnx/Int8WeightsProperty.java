package dev.lsr.encoder.onnx;

/**
 * Runs test code with {@code -Dlsr.int8.weights} ({@link IntegerProducts#PROPERTY}) set, and puts
 * back whatever was there before, however the code ends: tests force each int8 form on any CPU,
 * and one that leaked its form would change the products of every later test in the JVM.
 */
public final class Int8WeightsProperty {

    /** Test code that may throw anything. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private Int8WeightsProperty() {
    }

    /** Runs {@code action} with the property set to {@code value} (a form's {@link IntegerProducts#propertyValue()} or any text). */
    public static void with(String value, Action action) throws Exception {
        String before = System.getProperty(IntegerProducts.PROPERTY);
        System.setProperty(IntegerProducts.PROPERTY, value);
        try {
            action.run();
        } finally {
            if (before == null) {
                System.clearProperty(IntegerProducts.PROPERTY);
            } else {
                System.setProperty(IntegerProducts.PROPERTY, before);
            }
        }
    }

    /** Runs {@code action} with {@code form} forced. */
    public static void with(IntegerProducts form, Action action) throws Exception {
        with(form.propertyValue(), action);
    }
}
