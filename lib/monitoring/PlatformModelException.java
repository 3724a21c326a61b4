/** A model file that cannot be used: the message is one line, where first, then what is wrong. */
final class PlatformModelException extends RuntimeException {
    PlatformModelException(String message) { super(message); }
}
