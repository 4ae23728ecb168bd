package io.yoo.installer.storm;

import io.yoo.installer.cli.Yoo;

/**
 * {@code java -jar yoo-storm.jar ...}: the {@code yoo} command with the hidden {@code storm}
 * subcommand added. The storm lives outside installer-cli so the shipped {@code yoo.jar} has none
 * of it; developers get every other command from the same jar (bench/storm.sh serves with it too).
 */
public final class YooWithStorm {
    private YooWithStorm() {
    }

    public static void main(String[] args) {
        System.exit(Yoo.commandLine().addSubcommand(new StormCommand()).execute(args));
    }
}
