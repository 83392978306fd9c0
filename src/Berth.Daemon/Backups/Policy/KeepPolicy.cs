using System.Globalization;
using System.Text;

namespace Berth.Daemon.Backups.Policy;

/// <summary>
/// Which backups of one container to keep (backups.keep), written <c>last=3,daily=7,weekly=4,monthly=6,yearly=1</c>:
/// Proxmox's keep-* options without the prefix. A rule left out keeps nothing by itself; see <see cref="KeepSelector"/>.
/// </summary>
public sealed record KeepPolicy
{
    public const int MaxCount = 10000;

    /// <summary>The rule names in the order they are applied, which is also the canonical order of <see cref="ToString"/>.</summary>
    public static IReadOnlyList<string> RuleNames { get; } = ["last", "hourly", "daily", "weekly", "monthly", "yearly"];

    public int? Last { get; init; }

    public int? Hourly { get; init; }

    public int? Daily { get; init; }

    public int? Weekly { get; init; }

    public int? Monthly { get; init; }

    public int? Yearly { get; init; }

    /// <summary>True when no rule is set: nothing is selected for forgetting (Proxmox's keep-all).</summary>
    public bool KeepsAll => Last is null && Hourly is null && Daily is null && Weekly is null && Monthly is null && Yearly is null;

    /// <summary>The count a rule sets, by its name in <see cref="RuleNames"/>.</summary>
    public int? Count(string rule) => rule switch
    {
        "last" => Last,
        "hourly" => Hourly,
        "daily" => Daily,
        "weekly" => Weekly,
        "monthly" => Monthly,
        "yearly" => Yearly,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "not a keep rule"),
    };

    public static bool TryParse(string? text, out KeepPolicy policy, out string error)
    {
        policy = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"no keep rule given; write rules as NAME=COUNT separated by commas, e.g. last=3,daily=7 ({AllowedRules})";
            return false;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? part : part[..equals]).Trim();
            var value = equals < 0 ? null : part[(equals + 1)..].Trim();
            if (part.Length == 0)
            {
                error = $"\"{text}\" has an empty rule between commas; write rules as NAME=COUNT, e.g. last=3,daily=7";
                return false;
            }

            if (!RuleNames.Contains(name, StringComparer.Ordinal))
            {
                error = $"\"{part}\": unknown keep rule \"{name}\" ({AllowedRules})";
                return false;
            }

            if (counts.ContainsKey(name))
            {
                error = $"\"{part}\": the rule \"{name}\" is given twice; give each rule once ({AllowedRules})";
                return false;
            }

            if (value is null or "")
            {
                error = $"\"{part}\": the rule \"{name}\" needs a count, e.g. {name}=3";
                return false;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > MaxCount)
            {
                error = $"\"{part}\": the count of \"{name}\" must be a whole number from 1 to {MaxCount.ToString(CultureInfo.InvariantCulture)}";
                return false;
            }

            counts[name] = count;
        }

        policy = new KeepPolicy
        {
            Last = Find(counts, "last"),
            Hourly = Find(counts, "hourly"),
            Daily = Find(counts, "daily"),
            Weekly = Find(counts, "weekly"),
            Monthly = Find(counts, "monthly"),
            Yearly = Find(counts, "yearly"),
        };
        error = "";
        return true;
    }

    /// <summary>The canonical form: the rules that are set, in the order they are applied.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var rule in RuleNames)
        {
            if (Count(rule) is { } count)
            {
                text.Append(text.Length == 0 ? "" : ",").Append(rule).Append('=').Append(count.ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static string AllowedRules => "the rules are " + string.Join(", ", RuleNames) + ", each with a count from 1 to " + MaxCount.ToString(CultureInfo.InvariantCulture);

    private static int? Find(Dictionary<string, int> counts, string name) => counts.TryGetValue(name, out var count) ? count : null;
}
