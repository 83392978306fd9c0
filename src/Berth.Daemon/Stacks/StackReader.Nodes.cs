using System.Globalization;

namespace Berth.Daemon.Stacks;

/// <summary>Reading typed values from nodes; each failure adds FILE:LINE: PATH: reason and gives null.</summary>
public sealed partial class StackReader
{
    private void Error(StackNode node, string path, string message) => _errors.Add($"{node.Where}: {path}: {message}");

    /// <summary>A mapping's entries, with every key not in <paramref name="allowed"/> reported (null: any key).</summary>
    private List<(string Key, StackNode KeyNode, StackNode Value)>? Mapping(StackNode node, string path, params string[]? allowed)
    {
        if (node.Map is null)
        {
            Error(node, path, node.IsNull ? "is empty; give a mapping of keys" : "must be a mapping (key: value)");
            return null;
        }

        var result = new List<(string, StackNode, StackNode)>();
        foreach (var (key, value) in node.Map)
        {
            if (key.Value is null || key.Map is not null || key.List is not null)
            {
                Error(key, path, "keys must be plain names");
                continue;
            }

            if (allowed is { Length: > 0 } && !allowed.Contains(key.Value, StringComparer.Ordinal))
            {
                Error(key, $"{path}.{key.Value}", $"unknown key; {path} takes {string.Join(", ", allowed)}");
                continue;
            }

            result.Add((key.Value, key, value));
        }

        return result;
    }

    private string? Text(StackNode node, string path)
    {
        if (node.Value is null)
        {
            Error(node, path, node.IsNull ? "is empty; give a value" : "must be a single value, not a mapping or a list");
            return null;
        }

        var value = _variables.Substitute(node.Value, out var error);
        if (value is null)
        {
            Error(node, path, error!);
            return null;
        }

        if (value.Any(c => c == '\0'))
        {
            Error(node, path, "must not hold a NUL character");
            return null;
        }

        return value;
    }

    private string? SingleLine(StackNode node, string path)
    {
        var value = Text(node, path);
        if (value is not null && value.Any(char.IsControl))
        {
            Error(node, path, "must be one line without control characters");
            return null;
        }

        return value;
    }

    private bool? Bool(StackNode node, string path)
    {
        var value = Text(node, path);
        switch (value)
        {
            case null:
                return null;
            case "true" or "True" or "yes" or "on":
                return true;
            case "false" or "False" or "no" or "off":
                return false;
            default:
                Error(node, path, $"'{value}' is not true or false");
                return null;
        }
    }

    private int? Integer(StackNode node, string path, int min, int max)
    {
        var value = Text(node, path);
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            Error(node, path, $"'{value}' is not a whole number from {min} to {max}");
            return null;
        }

        return n;
    }

    private TimeSpan? Duration(StackNode node, string path)
    {
        var value = Text(node, path);
        if (value is null)
        {
            return null;
        }

        if (!StackDuration.TryParse(value, out var span) || span <= TimeSpan.Zero)
        {
            Error(node, path, $"'{value}' is not a duration; write e.g. 500ms, 2s, 1m or 1h");
            return null;
        }

        return span;
    }

    /// <summary>A list of single values; one value alone is taken as a list of one.</summary>
    private List<(string Value, StackNode Node)> Strings(StackNode node, string path, bool singleLine = true)
    {
        var items = node.List ?? (node.Value is not null ? [node] : null);
        if (items is null)
        {
            if (!node.IsNull)
            {
                Error(node, path, "must be a list of values");
            }

            return [];
        }

        var result = new List<(string, StackNode)>();
        for (var i = 0; i < items.Count; i++)
        {
            var value = singleLine ? SingleLine(items[i], $"{path}[{i}]") : Text(items[i], $"{path}[{i}]");
            if (value is not null)
            {
                result.Add((value, items[i]));
            }
        }

        return result;
    }
}
