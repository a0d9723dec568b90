package dev.sofy.server;

import dev.sofy.server.account.ApiKey;
import dev.sofy.server.account.KeyService;
import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.server.logging.LogFormats;
import dev.sofy.server.ratelimit.Kind;
import dev.sofy.server.storage.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** The server jar's commands: {@code serve} (the default) and {@code keys create}. */
@Command(name = "sofy-server",
        mixinStandardHelpOptions = true,
        version = "sofy-server 0.1.0",
        description = "A self-hostable SMS API that speaks Sofy's public API. With no command, it serves.",
        footer = "%nSettings come from SOFY_* environment variables; see the README.",
        subcommands = {Main.Serve.class, Main.Keys.class, Main.Simulator.class})
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("sofy-server: " + e.getMessage());
                    return 1;
                });
    }

    @Override
    public Integer call() throws InterruptedException {
        return new Serve().call();
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the server (the default command).")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            Config config = Config.fromEnvironment();
            LogFormats.use(config.logFormat());
            // Installed before anything starts: a stop during the start waits for it to finish and
            // then closes, rather than letting H2's own hook close the database under it.
            var stopAsked = new CountDownLatch(1);
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopAsked.countDown();
                awaitUninterruptibly(stopped);
            }, "sofy-shutdown"));
            stopOnSignals(stopAsked::countDown);
            try {
                App app = App.start(config);
                try {
                    if (stopAsked.getCount() > 0) {
                        System.out.println("Sofy server listening on " + app.baseUri());
                        System.out.println("Management listening on " + app.managementUri());
                    }
                    // Shown even when stopping: the key exists now, and is never shown again.
                    app.firstKey().ifPresent(key -> {
                        System.out.println("The database had no API key; this one was created for account '"
                                + key.accountName() + "'. It is shown only once:");
                        printKey(new PrintWriter(System.out, true), key);
                    });
                    System.out.flush();
                    stopAsked.await();
                } finally {
                    app.close();
                }
                LOG.info("Sofy server stopped");
                return 0;
            } finally {
                stopped.countDown();
            }
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            boolean interrupted = false;
            while (true) {
                try {
                    latch.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "smsc-simulator", mixinStandardHelpOptions = true,
            description = {"Run the built-in SMSC simulator alone, on 127.0.0.1, for servers started with "
                    + "SOFY_SMPP_HOST=127.0.0.1: an SMSC of its own process, as a real one would be.",
                    "It keeps the messages it accepted, and the receipts it still owes, in its state file, "
                    + "so that a restart of either side loses no receipt. Give each simulator its own "
                    + "--port and --state-file to run several side by side."})
    static final class Simulator implements Callable<Integer> {
        @Option(names = "--port", paramLabel = "PORT",
                description = "Port on 127.0.0.1; 0 takes a free one. Default: SOFY_SMPP_PORT, else 2775.")
        Integer port;

        @Option(names = "--system-id", paramLabel = "ID",
                description = "The system id binds must give. Default: SOFY_SMPP_SYSTEM_ID, else sofy.")
        String systemId;

        @Option(names = "--password", paramLabel = "PASSWORD",
                description = "The password binds must give. Default: SOFY_SMPP_PASSWORD, else sofy.")
        String password;

        @Option(names = "--receipt-delay", paramLabel = "MS",
                description = "Milliseconds before a delivery receipt. Default: SOFY_SIMULATOR_RECEIPT_DELAY_MS, "
                        + "else 100.")
        Integer receiptDelayMillis;

        @Option(names = "--submit-delay", paramLabel = "MS", defaultValue = "0",
                description = "Milliseconds it waits before taking each submit_sm and answering it, as a slow "
                        + "SMSC: the server holds its submits that long unacknowledged. Default: ${DEFAULT-VALUE}.")
        int submitDelayMillis;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "smsc-simulator",
                description = "A name for its logs and what it prints. Default: ${DEFAULT-VALUE}.")
        String name;

        @Option(names = "--state-file", paramLabel = "FILE", defaultValue = "smsc-simulator.state",
                description = "Where it keeps what it accepted and the receipts it owes, readable by its user only. "
                        + "Default: ${DEFAULT-VALUE}, in the directory it runs from.")
        Path stateFile;

        @Option(names = "--no-query",
                description = "Refuse query_sm with ESME_RINVCMDID, as an SMSC that does not support it.")
        boolean noQuery;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Config config = Config.fromEnvironment();
            LogFormats.use(config.logFormat());
            Config.Smpp smpp = config.smpp();
            int listenOn = port != null ? checked("--port", port, 0, 65535) : smpp.port();
            String id = systemId != null ? checkedLength("--system-id", systemId, 15) : smpp.systemId();
            String secret = password != null ? checkedLength("--password", password, 8) : smpp.password();
            Duration receiptDelay = receiptDelayMillis != null
                    ? Duration.ofMillis(checked("--receipt-delay", receiptDelayMillis, 0, 3_600_000))
                    : smpp.simulatorReceiptDelay();
            Duration submitDelay = Duration.ofMillis(checked("--submit-delay", submitDelayMillis, 0, 60_000));
            SmscSimulator simulator = SmscSimulator.start(listenOn, id, secret, receiptDelay, Optional.of(stateFile));
            simulator.answerQueries(!noQuery);
            simulator.delaySubmits(submitDelay);
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                simulator.close();
                stopped.countDown();
            }, "smsc-shutdown"));
            String delayed = submitDelay.isZero() ? "" : "; submit_sm answered after " + submitDelay.toMillis() + " ms";
            LOG.info("SMSC simulator {} on 127.0.0.1:{}, state in {}{}{}", name, simulator.port(),
                    stateFile.toAbsolutePath(), noQuery ? ", refusing query_sm" : "", delayed);
            System.out.println("SMSC simulator " + name + ": state in " + stateFile.toAbsolutePath()
                    + (noQuery ? "; query_sm refused" : "") + delayed);
            System.out.println("SMSC simulator ready on " + simulator.host() + ":" + simulator.port());
            System.out.flush();
            stopped.await();
            return 0;
        }

        private int checked(String option, int value, int min, int max) {
            if (value < min || value > max) {
                throw new ParameterException(spec.commandLine(),
                        option + " must be between " + min + " and " + max + ", not " + value);
            }
            return value;
        }

        /** SMPP 3.4 bounds its C-octet strings: 15 characters for a system id, 8 for a password. */
        private String checkedLength(String option, String value, int maxLength) {
            if (value.isEmpty() || value.length() > maxLength) {
                throw new ParameterException(spec.commandLine(),
                        option + " must be 1 to " + maxLength + " characters long");
            }
            return value;
        }
    }

    /**
     * Stops on SIGTERM and SIGINT before any shutdown hook runs. H2 closes the database in a hook
     * of its own, which it cannot leave out with AUTO_SERVER; run beside ours, it failed requests
     * in flight and the dispatcher with thousands of logged errors. The hook stays for other exits.
     */
    private static void stopOnSignals(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException notOnThisPlatform) {
                // The shutdown hook still stops the server.
            }
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "Manage API keys, whether or not the server is running on the same database.",
            subcommands = {Keys.Create.class, Keys.Update.class, Keys.Revoke.class})
    static final class Keys {

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Create an API key for an account (created if needed) and print it once.")
        static final class Create implements Callable<Integer> {
            @Option(names = "--account", required = true, paramLabel = "NAME",
                    description = "The account the key belongs to: 1 to 64 characters among A-Z a-z 0-9 . _ -")
            String account;

            @Option(names = "--send-rate", paramLabel = "N",
                    description = "Requests per second for sending SMS (default: SOFY_DEFAULT_SEND_RATE).")
            Integer sendRate;

            @Option(names = "--read-rate", paramLabel = "N",
                    description = "Requests per second for every other operation (default: SOFY_DEFAULT_READ_RATE).")
            Integer readRate;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                return withKeys(keys -> {
                    printKey(spec.commandLine().getOut(), keys.create(account, sendRate, readRate));
                    return 0;
                });
            }
        }

        @Command(name = "update", mixinStandardHelpOptions = true,
                description = "Change a key's rate limits; running servers apply them within a few seconds.")
        static final class Update implements Callable<Integer> {
            @Parameters(paramLabel = "KEY_ID", description = "The key's X-API-KEY-ID.")
            String keyId;

            @Option(names = "--send-rate", paramLabel = "N|default",
                    description = "Requests per second for sending SMS, or 'default'.")
            String sendRate;

            @Option(names = "--read-rate", paramLabel = "N|default",
                    description = "Requests per second for every other operation, or 'default'.")
            String readRate;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                if (sendRate == null && readRate == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "give --send-rate, --read-rate or both");
                }
                return withKeys(keys -> {
                    boolean found = true;
                    if (sendRate != null) {
                        found = keys.setRate(keyId, Kind.SEND, rate(sendRate));
                    }
                    if (readRate != null && found) {
                        found = keys.setRate(keyId, Kind.READ, rate(readRate));
                    }
                    return reportFound(spec, found, "Updated key " + keyId + ".");
                });
            }

            private Integer rate(String value) {
                if (value.equals("default")) {
                    return null;
                }
                try {
                    return Integer.valueOf(value);
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "a rate is a whole number or 'default', not '" + value + "'");
                }
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true,
                description = "Revoke a key; running servers refuse it within a few seconds.")
        static final class Revoke implements Callable<Integer> {
            @Parameters(paramLabel = "KEY_ID", description = "The key's X-API-KEY-ID.")
            String keyId;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                return withKeys(keys -> reportFound(spec, keys.revoke(keyId), "Revoked key " + keyId + "."));
            }
        }

        private static Integer withKeys(Function<KeyService, Integer> action) {
            Config config = Config.fromEnvironment();
            LogFormats.use(config.logFormat());
            try (Database database = Database.open(config)) {
                return action.apply(App.keyService(config, database, Clock.systemUTC()));
            }
        }

        private static Integer reportFound(CommandLine.Model.CommandSpec spec, boolean found, String done) {
            if (!found) {
                spec.commandLine().getErr().println("sofy-server: no such key");
                return 1;
            }
            spec.commandLine().getOut().println(done);
            return 0;
        }
    }

    static void printKey(PrintWriter out, ApiKey key) {
        out.println("X-API-KEY-ID: " + key.id());
        out.println("X-API-KEY-SECRET: " + key.secret());
        out.flush();
    }
}
