package dev.reverserepl.common.convert;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * time: from STRING {@code [-]H..HHH:MM:SS[.ffffff]} within MySQL's -838:59:59 .. 838:59:59; bound
 * as text.
 */
final class TimeType implements MySqlType {
  private static final Pattern TIME =
      Pattern.compile("-?([0-9]{1,3}):([0-5][0-9]):([0-5][0-9])(\\.[0-9]{1,6})?");

  @Override
  public Object convert(ConversionInput in) throws ValueConversionException {
    if (!in.is("STRING")) {
      throw in.unsupported();
    }
    String text = in.text();
    Matcher m = TIME.matcher(text);
    if (!m.matches()) {
      throw in.fail("not a time ([-]HH:MM:SS[.ffffff])");
    }
    int hours = Integer.parseInt(m.group(1));
    boolean fraction = m.group(4) != null && !m.group(4).matches("\\.0*");
    if (hours > 838
        || (hours == 838 && (!m.group(2).equals("59") || !m.group(3).equals("59") || fraction))) {
      throw in.fail("outside the time range -838:59:59 .. 838:59:59");
    }
    return text;
  }
}
