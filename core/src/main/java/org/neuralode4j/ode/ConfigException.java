package org.neuralode4j.ode;

import org.neuralode4j.NeuralOdeException;

/** A solver or method configuration value is out of range; the message names the field, the value and what is accepted. */
public class ConfigException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** "field = value: accepted range". */
    public static ConfigException of(String field, Object value, String accepted) {
        return new ConfigException(field + " = " + value + ": " + accepted);
    }
}
