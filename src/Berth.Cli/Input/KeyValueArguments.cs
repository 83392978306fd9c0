namespace Berth.Cli.Input;

/// <summary>Parses KEY=VALUE arguments (config keys, environment variables) with errors that name the bad argument.</summary>
internal static class KeyValueArguments
{
    /// <summary>Splits at the first '=', so the value may hold more of them; the value may be empty.</summary>
    public static KeyValuePair<string, string> ParsePair(string argument, string what)
    {
        ArgumentNullException.ThrowIfNull(argument);
        int equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw new CliException($"invalid {what} '{argument}': expected KEY=VALUE");
        }

        string key = argument[..equals].Trim();
        if (key.Length == 0)
        {
            throw new CliException($"invalid {what} '{argument}': the key before '=' is empty");
        }

        return new KeyValuePair<string, string>(key, argument[(equals + 1)..]);
    }

    public static Dictionary<string, string> ParseMap(IEnumerable<string> arguments, string what)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string argument in arguments)
        {
            var (key, value) = ParsePair(argument, what);
            if (!map.TryAdd(key, value))
            {
                throw new CliException($"{what} key '{key}' is given twice");
            }
        }

        return map;
    }

    /// <summary>Keys alone (for unset): a KEY=VALUE here is a mistake worth naming.</summary>
    public static IReadOnlyList<string> ParseKeys(IEnumerable<string> arguments, string what)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var keys = new List<string>();
        foreach (string argument in arguments)
        {
            string key = argument.Trim();
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal))
            {
                throw new CliException($"invalid {what} key '{argument}': give the key alone, without '=VALUE'");
            }

            keys.Add(key);
        }

        return keys;
    }
}
