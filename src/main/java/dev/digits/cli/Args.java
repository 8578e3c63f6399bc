package dev.digits.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named command-line options: {@code --name value}, {@code --name=value} and boolean switches
 * ({@code --name}, or {@code --name=true|false} as TF Serving's flags are written), each declared
 * with a default and a help line, plus positional arguments and other spellings of an option
 * ({@link #alias}). Parsing errors are {@link UsageException}s that name the bad flag.
 */
public final class Args {
  private record Option(String name, String valueName, String defaultValue, String help) {
    boolean isSwitch() {
      return valueName == null;
    }
  }

  private final String usage;
  private final String description;
  private final Map<String, Option> options = new LinkedHashMap<>();
  private final Map<String, String> aliases = new LinkedHashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  private String positionalHelp;

  public Args(String usage, String description) {
    this.usage = usage;
    this.description = description;
    flag("help", "print this help and exit");
  }

  /** An option that takes a value. */
  public Args option(String name, String valueName, String defaultValue, String help) {
    options.put(name, new Option(name, valueName, defaultValue, help));
    return this;
  }

  /** A switch: present or not. */
  public Args flag(String name, String help) {
    options.put(name, new Option(name, null, null, help));
    return this;
  }

  /** Another spelling of a declared option (TF Serving's {@code --rest_api_port} for {@code --port}). */
  public Args alias(String alias, String option) {
    known(option);
    aliases.put(alias, option);
    return this;
  }

  public Args positional(String help) {
    this.positionalHelp = help;
    return this;
  }

  public Args parse(String[] argv) {
    boolean onlyPositional = false;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (onlyPositional || !a.startsWith("--")) {
        if (positionalHelp == null) {
          throw new UsageException("unexpected argument '" + a + "'");
        }
        positional.add(a);
        continue;
      }
      if (a.equals("--")) {
        onlyPositional = true;
        continue;
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      name = aliases.getOrDefault(name, name);
      Option o = options.get(name);
      if (o == null) {
        throw new UsageException("unknown option --" + name);
      }
      if (o.isSwitch()) {
        if (value == null || value.equals("true") || value.equals("1")) {
          values.put(name, "true");
        } else if (value.equals("false") || value.equals("0")) {
          values.put(name, "false");
        } else {
          throw new UsageException("--" + name + " is a switch: give it alone, or =true or =false");
        }
      } else {
        if (value == null) {
          if (i + 1 >= argv.length) {
            throw new UsageException("--" + name + " needs a value (" + o.valueName() + ")");
          }
          value = argv[++i];
        }
        values.put(name, value);
      }
    }
    return this;
  }

  public boolean helpRequested() {
    return has("help");
  }

  /** Whether an option was given (a switch: given and not {@code =false}). */
  public boolean has(String name) {
    Option o = options.get(name);
    return values.containsKey(name) && !(o != null && o.isSwitch() && values.get(name).equals("false"));
  }

  /** A switch's value: true or false when given, {@code otherwise} when not. */
  public boolean switchValue(String name, boolean otherwise) {
    known(name);
    return values.containsKey(name) ? values.get(name).equals("true") : otherwise;
  }

  public String get(String name) {
    Option o = known(name);
    return values.getOrDefault(name, o.defaultValue());
  }

  public int getInt(String name, int min, int max) {
    long v = parseLong(name);
    if (v < min || v > max) {
      throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + get(name));
    }
    return (int) v;
  }

  public long getLong(String name) {
    return parseLong(name);
  }

  public float getFloat(String name, float min, float max) {
    float v;
    try {
      v = Float.parseFloat(get(name));
    } catch (NumberFormatException | NullPointerException e) {
      throw new UsageException("--" + name + " needs a number, got '" + get(name) + "'");
    }
    if (!(v >= min && v <= max)) {
      throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + get(name));
    }
    return v;
  }

  /** One of an enum's constants, written in lower case ({@code --augment real}). */
  public <E extends Enum<E>> E getEnum(String name, Class<E> type) {
    String value = get(name);
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase());
    }
    throw new UsageException("--" + name + " must be one of " + String.join(", ", names) + ", got '" + value + "'");
  }

  public List<String> positionals() {
    return positional;
  }

  public String help() {
    StringBuilder sb = new StringBuilder("usage: ").append(usage).append("\n\n").append(description).append("\n\n");
    if (positionalHelp != null) {
      sb.append(positionalHelp).append("\n\n");
    }
    sb.append("options:\n");
    for (Option o : options.values()) {
      String left = "  --" + o.name() + (o.isSwitch() ? "" : " " + o.valueName());
      String right = o.help() + (o.defaultValue() == null ? "" : " (default: " + o.defaultValue() + ")");
      List<String> also = new ArrayList<>();
      aliases.forEach((alias, target) -> {
        if (target.equals(o.name())) {
          also.add("--" + alias);
        }
      });
      if (!also.isEmpty()) {
        right += "; also " + String.join(", ", also);
      }
      sb.append(String.format("%-26s %s%n", left, right));
    }
    return sb.toString();
  }

  private long parseLong(String name) {
    try {
      return Long.parseLong(get(name));
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a whole number, got '" + get(name) + "'");
    }
  }

  private Option known(String name) {
    Option o = options.get(name);
    if (o == null) {
      throw new IllegalArgumentException("undeclared option " + name);
    }
    return o;
  }
}
