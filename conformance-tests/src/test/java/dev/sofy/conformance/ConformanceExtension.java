package dev.sofy.conformance;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the {@link ServerUnderTest}, the {@link SpecValidator} and the {@link CallbackValidator}.
 * Each is made once per JVM and kept in the root store, which closes the server (and an in-process
 * one's database) when all tests have run.
 */
final class ConformanceExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConformanceExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ServerUnderTest.class || type == SpecValidator.class || type == CallbackValidator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        if (parameter.getParameter().getType() == CallbackValidator.class) {
            return store.getOrComputeIfAbsent(
                    CallbackValidator.class, type -> CallbackValidator.fromBuild(), CallbackValidator.class);
        }
        SpecValidator spec = store.getOrComputeIfAbsent(
                SpecValidator.class, type -> SpecValidator.fromBuild(), SpecValidator.class);
        if (parameter.getParameter().getType() == SpecValidator.class) {
            return spec;
        }
        return store.getOrComputeIfAbsent(
                ServerUnderTest.class, type -> ServerUnderTest.start(spec), ServerUnderTest.class);
    }
}
