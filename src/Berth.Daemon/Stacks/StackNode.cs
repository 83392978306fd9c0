namespace Berth.Daemon.Stacks;

/// <summary>
/// A node of a stack file (after the override file is merged over it) that remembers which file and line it came
/// from, so every error can name them.
/// </summary>
public sealed class StackNode
{
    public required string File { get; init; }

    public required int Line { get; init; }

    /// <summary>A scalar's text; null for a mapping, a sequence or a YAML null.</summary>
    public string? Value { get; init; }

    /// <summary>A mapping's entries in file order, keyed by their text; null when this is not a mapping.</summary>
    public List<KeyValuePair<StackNode, StackNode>>? Map { get; init; }

    public List<StackNode>? List { get; init; }

    public bool IsNull => Value is null && Map is null && List is null;

    public string Where => $"{File}:{Line}";

    /// <summary>Compose's rule: mappings merge key by key, anything else in the override replaces what it overrides.</summary>
    public static StackNode Merge(StackNode under, StackNode over)
    {
        ArgumentNullException.ThrowIfNull(under);
        ArgumentNullException.ThrowIfNull(over);
        if (under.Map is null || over.Map is null)
        {
            return over;
        }

        var merged = new List<KeyValuePair<StackNode, StackNode>>(under.Map);
        foreach (var (key, value) in over.Map)
        {
            var index = merged.FindIndex(p => p.Key.Value == key.Value);
            if (index < 0)
            {
                merged.Add(new(key, value));
            }
            else
            {
                merged[index] = new(merged[index].Key, Merge(merged[index].Value, value));
            }
        }

        return new StackNode { File = under.File, Line = under.Line, Map = merged };
    }
}
