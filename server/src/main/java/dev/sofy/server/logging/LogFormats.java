package dev.sofy.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.sofy.server.config.Config;
import org.slf4j.LoggerFactory;

/**
 * Switches Logback to the format the config asks for. Logback starts with {@code logback.xml}
 * (text); JSON replaces it with {@code logback-json.xml}, which has the same levels.
 */
public final class LogFormats {
    private static final String JSON_CONFIGURATION = "/logback-json.xml";

    private LogFormats() {}

    public static void use(Config.LogFormat format) {
        if (format != Config.LogFormat.JSON
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            configurator.doConfigure(LogFormats.class.getResource(JSON_CONFIGURATION));
        } catch (JoranException e) {
            throw new IllegalStateException("could not configure JSON logs from " + JSON_CONFIGURATION, e);
        }
    }
}
