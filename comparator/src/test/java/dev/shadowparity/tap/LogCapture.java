package dev.shadowparity.tap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What is logged at ERROR while it is open (every logger), for tests that a handled failure is not also logged. */
final class LogCapture implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture() {
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
  }

  /** Every ERROR so far, as "logger: message". */
  List<String> errors() {
    synchronized (appender) { // what AppenderBase.doAppend holds while it adds to the list
      return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
          .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }
  }

  /** Every event at {@code level} or above so far, as "logger: message". */
  List<String> at(Level level) {
    synchronized (appender) {
      return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
          .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
