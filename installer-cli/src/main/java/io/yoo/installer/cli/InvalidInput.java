package io.yoo.installer.cli;

/**
 * Input a command cannot work with (a descriptor with mistakes, a missing file): its message is
 * printed as is, without a stack trace, and yoo exits 1 ({@link Yoo#EXIT_INVALID}).
 */
final class InvalidInput extends RuntimeException {
    InvalidInput(String message) {
        super(message);
    }
}
