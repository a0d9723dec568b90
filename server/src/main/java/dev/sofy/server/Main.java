package dev.sofy.server;

import dev.sofy.server.account.ApiKey;
import dev.sofy.server.account.KeyService;
import dev.sofy.server.config.Config;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The server jar's commands: {@code serve} (the default) and {@code keys create}. */
@Command(name = "sofy-server",
        mixinStandardHelpOptions = true,
        version = "sofy-server 0.1.0",
        description = "A self-hostable SMS API that speaks Sofy's public API. With no command, it serves.",
        footer = "%nSettings come from SOFY_* environment variables; see the README.",
        subcommands = {Main.Serve.class, Main.Keys.class})
public final class Main implements Callable<Integer> {

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
            App app = App.start(config);
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "sofy-shutdown"));
            System.out.println("Sofy server listening on " + app.baseUri());
            app.firstKey().ifPresent(key -> {
                System.out.println("The database had no API key; this one was created for account '"
                        + key.accountName() + "'. It is shown only once:");
                printKey(new PrintWriter(System.out, true), key);
            });
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "Manage API keys, whether or not the server is running on the same database.",
            subcommands = Keys.Create.class)
    static final class Keys {

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Create an API key for an account (created if needed) and print it once.")
        static final class Create implements Callable<Integer> {
            @Option(names = "--account", required = true, paramLabel = "NAME",
                    description = "The account the key belongs to: 1 to 64 characters among A-Z a-z 0-9 . _ -")
            String account;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                try (Database database = Database.open(Config.fromEnvironment())) {
                    var keys = new KeyService(new JdbiKeyStore(database.jdbi()), Clock.systemUTC());
                    printKey(spec.commandLine().getOut(), keys.create(account));
                }
                return 0;
            }
        }
    }

    static void printKey(PrintWriter out, ApiKey key) {
        out.println("X-API-KEY-ID: " + key.id());
        out.println("X-API-KEY-SECRET: " + key.secret());
        out.flush();
    }
}
