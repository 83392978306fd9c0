using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Stacks;

/// <summary>
/// Compose's interpolation in scalar values: ${VAR}, ${VAR:-default} (also when empty), ${VAR-default} (only when
/// unset), $$ for a dollar. Values come from the environment the client sent, then from the file's variables:.
/// </summary>
public sealed partial class StackVariables(IReadOnlyDictionary<string, string> sent, bool requireValues)
{
    private readonly Dictionary<string, string> _defaults = new(StringComparer.Ordinal);

    /// <summary>Every name a ${...} used, set or not.</summary>
    public SortedSet<string> Referenced { get; } = new(StringComparer.Ordinal);

    public void Declare(string name, string value) => _defaults[name] = value;

    /// <summary>The text with its references replaced, or null with the reason when one cannot be.</summary>
    public string? Substitute(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                result.Append(text[i++]);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i += 2;
                continue;
            }

            var match = i + 1 < text.Length && text[i + 1] == '{' ? Reference().Match(text, i) : Match.Empty;
            if (!match.Success || match.Index != i)
            {
                error = $"'{text}' has a $ that starts no ${{NAME}}, ${{NAME:-default}} or ${{NAME-default}} (write $$ for a dollar)";
                return null;
            }

            var name = match.Groups["name"].Value;
            Referenced.Add(name);
            var value = sent.TryGetValue(name, out var s) ? s : _defaults.TryGetValue(name, out var d) ? d : null;
            if (match.Groups["op"].Success && (value is null || (match.Groups["op"].Value == ":-" && value.Length == 0)))
            {
                value = match.Groups["default"].Value;
            }

            if (value is null)
            {
                if (requireValues)
                {
                    error = $"variable {name} is not set; set it in the environment of 'berth up', give it a default under variables:, or write ${{{name}:-default}}";
                    return null;
                }

                value = "";
            }

            result.Append(value);
            i = match.Index + match.Length;
        }

        return result.ToString();
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:-|-)(?<default>[^}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
