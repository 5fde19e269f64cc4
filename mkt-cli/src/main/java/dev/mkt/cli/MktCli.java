package dev.mkt.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mkt}: the command line. {@code java -jar mkt-cli/target/mkt.jar --help}.
 *
 * <p>Exit codes: 0 success; 1 some input lines were bad (replay without {@code --lenient}) or rules do not
 * compile ({@code rules check}); 2 usage, rules or I/O error that stopped the command.
 */
@Command(name = "mkt", mixinStandardHelpOptions = true, version = "mkt 0.1.0",
    description = "mkt command line: check rules, backtest them over recorded events.",
    subcommands = {RulesCommand.class, ReplayCommand.class})
public final class MktCli implements Runnable {
  /** Success. */
  public static final int OK = 0;
  /** Bad input lines (replay) or rules that do not compile (rules check). */
  public static final int BAD_INPUT = 1;
  /** Usage error, or a failure that stopped the command (rules do not compile for replay, I/O). */
  public static final int FAILED = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs with the given streams; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new MktCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(t -> FAILED);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("mkt: " + ex.getMessage());
      return FAILED;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    // An application: keep Drools' INFO chatter out of the user's terminal unless asked for.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }
}
