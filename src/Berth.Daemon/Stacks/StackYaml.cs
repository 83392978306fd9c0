using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Daemon.Stacks;

/// <summary>Loads a stack file's YAML into <see cref="StackNode"/>s that keep their line numbers.</summary>
public static class StackYaml
{
    /// <summary>The file's root node, or null with the syntax error added to <paramref name="errors"/>.</summary>
    public static StackNode? Load(string file, string text, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            errors.Add($"{file}:{ex.Start.Line}: {Reason(ex)}");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            errors.Add($"{file}:1: the file is empty; a stack file starts with name: and containers:.");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add($"{file}:{stream.Documents[1].RootNode.Start.Line}: a stack file holds one YAML document; remove the second (after ---).");
            return null;
        }

        return Convert(file, stream.Documents[0].RootNode, 0);
    }

    private const int MaxDepth = 32;

    private static StackNode Convert(string file, YamlNode node, int depth)
    {
        var line = (int)Math.Max(1, node.Start.Line);
        if (depth > MaxDepth)
        {
            throw new YamlException(node.Start, node.End, "nested too deeply");
        }

        return node switch
        {
            YamlMappingNode map => new StackNode { File = file, Line = line, Map = [.. map.Children.Select(p => new KeyValuePair<StackNode, StackNode>(Convert(file, p.Key, depth + 1), Convert(file, p.Value, depth + 1)))] },
            YamlSequenceNode list => new StackNode { File = file, Line = line, List = [.. list.Children.Select(c => Convert(file, c, depth + 1))] },
            YamlScalarNode scalar => new StackNode { File = file, Line = line, Value = IsNull(scalar) ? null : scalar.Value ?? "" },
            _ => new StackNode { File = file, Line = line },
        };
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Reason(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        var at = message.IndexOf("): ", StringComparison.Ordinal);
        return $"not valid YAML: {(at >= 0 ? message[(at + 3)..] : message)}";
    }
}
