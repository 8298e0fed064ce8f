package io.javalived.demo;

/** A demo step that did not happen: the message says what, and what to look at. */
final class DemoException extends Exception {
    DemoException(String message) {
        super(message);
    }
}
