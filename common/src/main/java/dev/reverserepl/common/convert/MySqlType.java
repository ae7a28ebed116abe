package dev.reverserepl.common.convert;

import java.io.Serializable;

/** Converts a non-null change-stream value into the JDBC parameter for one MySQL type family. */
interface MySqlType extends Serializable {
  Object convert(ConversionInput in) throws ValueConversionException;
}
